using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// What a pack is made of, as <c>models verify</c> shows it: its streams (recipe, feature size,
/// backbone input, imagination model), the model that gives the scores and each score tensor's
/// layout. Part of the --json contract: add fields, do not rename them.
/// </summary>
/// <param name="Scores">The model whose outputs are the scores: <c>fusion</c> or the only stream's name.</param>
/// <param name="Window">Clips per fusion window; 1 without fusion.</param>
internal sealed record PackLayoutReport(
    int SchemaVersion,
    int ClipSpacingFrames,
    string Scores,
    int Window,
    IReadOnlyList<StreamReport> Streams,
    string? FusionFile,
    IReadOnlyList<ScoreTensorReport> Outputs)
{
    public static PackLayoutReport Of(PackManifest m) => new(
        m.SchemaVersion,
        m.ClipSpacing,
        m.ScoreModelName,
        m.Window,
        [.. m.Streams.Select(s => new StreamReport(
            s.Name, s.Modality.Name, s.Modality.Kind, s.Recipe, s.FeatureDim, s.Backbone.File, s.Backbone.Inputs[0].Shape,
            s.Modality.Missing.Substitute,
            s.Spec.Imagination is { } i ? new ImaginationReport(i.File, [.. i.Inputs.Select(x => x.Source)]) : null))],
        m.Fusion?.File,
        [.. m.Outputs.Select(o =>
        {
            var tensor = m.ScoreModel.Outputs.Single(t => t.Name == o.Name);
            var layout = ScoreLayout.Of(m, tensor, o);
            return new ScoreTensorReport(o.Name, o.Kind, tensor.Shape, m.TimeAxisOf(tensor), layout.TimeSteps, layout.Values);
        })]);

    public void WriteHuman(TextWriter output)
    {
        output.WriteLine($"  schema version {SchemaVersion}, clips {ClipSpacingFrames} frames apart");
        var width = Math.Max(6, Streams.Max(s => s.Name.Length));
        output.WriteLine($"  {"stream".PadRight(width)} {"modality",-14} {"recipe",-9} {"feature",7}  {"input",-20} model");
        foreach (var s in Streams)
        {
            var modality = $"{s.Modality} ({s.Kind})";
            var feature = s.FeatureDim?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
            var imagined = s.Imagination is { } i ? $"; imagined from {string.Join(", ", i.From)} by {i.File}" : "";
            output.WriteLine($"  {s.Name.PadRight(width)} {modality,-14} {s.Recipe,-9} {feature,7}  {Shape(s.Input),-20} {s.File}{imagined}");
        }

        var missing = Streams.DistinctBy(s => s.Modality).Select(s => $"{s.Modality} {s.Missing}");
        output.WriteLine($"  when data is missing: {string.Join(", ", missing)}");
        output.WriteLine(FusionFile is { } fusion
            ? $"  scores: fusion head {fusion}, window {Window}"
            : $"  scores: no fusion; stream '{Scores}' gives them for its clip");
        foreach (var o in Outputs)
        {
            var layout = o.TimeAxis is { } t ? $"time axis {t}, newest of {o.TimeSteps}" : "window-level";
            output.WriteLine($"    {o.Name} ({o.Kind}) {Shape(o.Shape)}: {layout}");
        }
    }

    private static string Shape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";
}

/// <param name="Missing">The modality's substitute when its data is missing: black, silence, neutral or imagine.</param>
/// <param name="FeatureDim">The clip feature's size; null without fusion (the backbone gives the scores).</param>
internal sealed record StreamReport(
    string Name,
    string Modality,
    string Kind,
    string Recipe,
    int? FeatureDim,
    string File,
    IReadOnlyList<long> Input,
    string Missing,
    ImaginationReport? Imagination);

/// <param name="From">The streams whose clip features it takes.</param>
internal sealed record ImaginationReport(string File, IReadOnlyList<string> From);

/// <param name="TimeAxis">Null for a window-level output.</param>
/// <param name="TimeSteps">Clip positions on the time axis (the newest is read); 1 for a window-level output.</param>
/// <param name="Values">Values per position: 1, or the class count for class logits.</param>
internal sealed record ScoreTensorReport(string Name, string Kind, IReadOnlyList<long> Shape, int? TimeAxis, int TimeSteps, int Values);
