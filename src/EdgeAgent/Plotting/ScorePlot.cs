using EdgeEmotion.EdgeAgent.Evaluation;

namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>
/// Everything one plot shows: what was run (<see cref="PlotCaption"/>), the outputs
/// (<see cref="ReplayTrace"/>) and, for <c>evaluate</c>, the labels and figures.
/// </summary>
public sealed record ScorePlot(PlotCaption Caption, ReplayTrace Trace, LabelOverlay? Labels = null)
{
    /// <summary>The time axis ends at the media's end, the last clip end or the last label, whichever is latest.</summary>
    public double End => Math.Max(
        Math.Max(Caption.MediaSeconds, Trace.Points.Count == 0 ? 0 : Trace.Points[^1].ClipEnd),
        Labels is null ? 0 : Labels.Columns.Select(c => c.Values.Count).DefaultIfEmpty(0).Max() / Labels.FrameRate);
}

/// <summary>What was run: the command, the pack, the input files and the settings, as the page's title area lists them.</summary>
/// <param name="Command"><c>replay</c> or <c>evaluate</c>.</param>
/// <param name="MediaSeconds">How far the media went (the replay driver's media end).</param>
/// <param name="SyntheticWeights">The pack's manifest says its weights are synthetic: the scores mean nothing.</param>
public sealed record PlotCaption(
    string Command,
    string PackId,
    string PackVersion,
    string Task,
    bool SyntheticWeights,
    IReadOnlyList<PlotFact> Inputs,
    IReadOnlyList<PlotFact> Settings,
    double MediaSeconds);

/// <summary>One named line of the title area (<c>video</c>: <c>tests/media/face.mp4</c>).</summary>
public sealed record PlotFact(string Name, string Value);

/// <summary>
/// evaluate's additions: the per-frame labels (drawn at each frame's centre, unlabelled frames
/// as gaps) and the figures per assignment.
/// </summary>
public sealed record LabelOverlay(string LabelsFile, double FrameRate, IReadOnlyList<LabelColumn> Columns, IReadOnlyList<AssignmentFigures> Figures);
