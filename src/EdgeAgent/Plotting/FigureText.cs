using System.Globalization;
using EdgeEmotion.EdgeAgent.Evaluation;

namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>evaluate's figures for one output in a line: CCC (continuous) or accuracy and MAE (level), per assignment.</summary>
public static class FigureText
{
    public static string? For(string output, IReadOnlyList<AssignmentFigures> figures)
    {
        var parts = figures.SelectMany(a => a.Outputs.Where(o => o.Output == output).Select(o => o.Kind == "level"
            ? string.Create(CultureInfo.InvariantCulture, $"accuracy {F(o.Accuracy, 3)} {a.Assignment} (MAE {F(o.MeanAbsoluteError, 2)}, {o.Frames} frames)")
            : string.Create(CultureInfo.InvariantCulture, $"CCC {F(o.Ccc, 4)} {a.Assignment} ({o.Frames} frames{(o.SmoothingFrames is { } w ? $", smoothed {w}" : "")})"))).ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string F(double? value, int decimals) =>
        value is { } v ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";
}
