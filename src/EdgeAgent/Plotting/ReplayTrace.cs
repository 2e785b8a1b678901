using System.Text.Json;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>
/// A replay's outputs as the plot draws them, gathered from the same <c>ScoreJson</c> lines the
/// replay writes: the plot shows exactly the numbers in the file (same rounding), and a modality
/// state is whatever string the line carries (<c>ok</c>, <c>held</c>, <c>imagined</c>, ...), so a
/// state added later is drawn without a change here.
/// </summary>
public sealed class ReplayTrace
{
    private readonly List<TracePoint> points = [];

    public ReplayTrace(PackManifest manifest)
    {
        Outputs = manifest.Outputs;
        Modalities = [.. manifest.Modalities.Select(m => m.Name)];
    }

    /// <summary>The pack's outputs in manifest order: one panel each.</summary>
    public IReadOnlyList<OutputSpec> Outputs { get; }

    /// <summary>The pack's modality names in manifest order: one state band each.</summary>
    public IReadOnlyList<string> Modalities { get; }

    /// <summary>One point per output, in clip order.</summary>
    public IReadOnlyList<TracePoint> Points => points;

    /// <summary>Adds one output from its JSON line (<c>clip</c>, <c>clipEnd</c>, <c>scores</c>, <c>modalities</c>).</summary>
    /// <exception cref="InvalidDataException">The line is not a score line.</exception>
    public void Add(string scoreJsonLine)
    {
        try
        {
            using var document = JsonDocument.Parse(scoreJsonLine);
            var root = document.RootElement;
            Dictionary<string, TraceScore>? scores = null;
            if (root.GetProperty("scores") is { ValueKind: JsonValueKind.Object } scoreObject)
            {
                scores = new Dictionary<string, TraceScore>(StringComparer.Ordinal);
                foreach (var score in scoreObject.EnumerateObject())
                {
                    scores[score.Name] = score.Value.ValueKind == JsonValueKind.Object ? ClassScore(score.Value) : new TraceScore(score.Value.GetDouble(), null, null);
                }
            }

            var states = new Dictionary<string, TraceState>(StringComparer.Ordinal);
            foreach (var modality in root.GetProperty("modalities").EnumerateObject())
            {
                states[modality.Name] = new TraceState(
                    modality.Value.GetProperty("state").GetString() ?? "",
                    modality.Value.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
            }

            points.Add(new TracePoint(root.GetProperty("clip").GetInt64(), root.GetProperty("clipEnd").GetDouble(), scores, states));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"not a score line: {e.Message}", e);
        }
    }

    // A class output: the line drawn is the expected level of ordered levels (class logits), or the
    // predicted class itself for unordered classes (class probabilities: no "expected", a "label");
    // the predicted level's probability says how sure it is.
    private static TraceScore ClassScore(JsonElement score)
    {
        var level = score.GetProperty("level").GetInt32();
        var probabilities = score.GetProperty("probabilities");
        double? probability = level >= 0 && level < probabilities.GetArrayLength() ? probabilities[level].GetDouble() : null;
        var value = score.TryGetProperty("label", out _) ? level : score.GetProperty("expected").GetDouble();
        return new TraceScore(value, level, probability);
    }
}

/// <summary>One output: its clip, its clip end in seconds of media, its scores (null: no-signal) and each modality's state.</summary>
public sealed record TracePoint(long Clip, double ClipEnd, IReadOnlyDictionary<string, TraceScore>? Scores, IReadOnlyDictionary<string, TraceState> States);

/// <summary>A score: the value (a class output's expected level, or its predicted class when the classes are unordered), and for a class output the predicted level and its probability.</summary>
public readonly record struct TraceScore(double Value, int? Level, double? LevelProbability);

/// <summary>How a modality entered an output, as the score line names it, with the reason when it was missing.</summary>
public readonly record struct TraceState(string State, string? Reason);
