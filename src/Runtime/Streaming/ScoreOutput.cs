namespace EdgeEmotion.Runtime.Streaming;

/// <summary>How a modality entered one output.</summary>
public enum ModalityState
{
    /// <summary>Its own data for this clip.</summary>
    Ok,

    /// <summary>Missing now; the last good clip's feature stands in (see <see cref="ModalityReport.HeldFor"/>).</summary>
    Held,

    /// <summary>Missing; black frames, silence or neutral EDA stand in.</summary>
    Substituted,

    /// <summary>Missing; the pack's imagination models predicted its features from the modalities present (<c>missing.substitute: "imagine"</c>).</summary>
    Imagined,
}

/// <summary>The names messages, files and summaries give the states.</summary>
public static class ModalityStateNames
{
    /// <summary><c>ok</c>, <c>held</c>, <c>substituted</c> or <c>imagined</c>.</summary>
    public static string Name(this ModalityState state) => state switch
    {
        ModalityState.Ok => "ok",
        ModalityState.Held => "held",
        ModalityState.Substituted => "substituted",
        ModalityState.Imagined => "imagined",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}

/// <summary>One modality's part in one output, with the reason when it was missing.</summary>
public sealed record ModalityReport(ModalityState State, string? Reason = null, TimeSpan? HeldFor = null)
{
    /// <summary>The report of a modality with its own data: the same for every output, so made once.</summary>
    public static ModalityReport Ok { get; } = new(ModalityState.Ok);
}

/// <summary>
/// One pack output after post-processing: a value clipped to range, or a class output's level with
/// every class's probability. <see cref="Value"/> of a class output: for ordered levels (class
/// logits, e.g. pain 0-4) the probability-weighted expected level; for unordered classes (class
/// probabilities, e.g. expressions), which have no "expected" class, the level's own probability,
/// and <see cref="Label"/> names the level.
/// </summary>
public sealed record ScoreValue(string Name, double Value, int? Level = null, IReadOnlyList<double>? Probabilities = null, string? Label = null);

/// <summary>
/// Wall-clock milliseconds spent on one output, per stage. Work done as samples arrive (frozen-frame
/// checks, face detection and crops, resampling, EDA filtering) counts toward the next output:
/// <see cref="PreprocessMs"/> holds it without face detection, which is <see cref="FaceDetectionMs"/>;
/// <see cref="TotalMs"/> holds all of it.
/// </summary>
public sealed record StageLatency(
    IReadOnlyDictionary<string, double> PreprocessMs,
    IReadOnlyDictionary<string, double> BackboneMs,
    double FusionMs,
    double TotalMs)
{
    /// <summary>The face detector's share of the visual preprocessing (0 without video).</summary>
    public double FaceDetectionMs { get; init; }
}

/// <summary>
/// The result for the newest clip: scores (null when every modality is missing: nothing is
/// invented), the state of each modality, and what it cost.
/// </summary>
public sealed record ScoreOutput(
    long Clip,
    TimeSpan ClipEnd,
    IReadOnlyList<ScoreValue>? Scores,
    IReadOnlyDictionary<string, ModalityReport> Modalities,
    StageLatency Latency)
{
    /// <summary><c>ok</c>, <c>degraded</c> (some modality missing) or <c>no-signal</c> (no scores).</summary>
    public string Status => Scores is null ? "no-signal" : Modalities.Values.All(m => m.State == ModalityState.Ok) ? "ok" : "degraded";
}
