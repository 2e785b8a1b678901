using System.Globalization;
using EdgeEmotion.EdgeAgent.Evaluation;

namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>
/// evaluate's figures for one output in a line, per assignment: CCC (continuous), accuracy and
/// MAE (level), and for the probability output read against a level label its binary accuracy.
/// </summary>
public static class FigureText
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string? For(string output, IReadOnlyList<AssignmentFigures> figures)
    {
        var parts = new List<string>();
        foreach (var a in figures)
        {
            foreach (var o in a.Outputs)
            {
                if (o.Output == output)
                {
                    parts.Add(o.Kind == "level"
                        ? string.Create(C, $"accuracy {F(o.Accuracy, 3)} {a.Assignment} (MAE {F(o.MeanAbsoluteError, 2)}, {o.Frames} frames)")
                        : string.Create(C, $"CCC {F(o.Ccc, 4)} {a.Assignment} ({o.Frames} frames{(o.SmoothingFrames is { } w ? $", smoothed {w}" : "")})"));
                }

                if (o.Binary is { } binary && binary.Output == output)
                {
                    parts.Add(string.Create(C, $"binary accuracy {F(binary.Accuracy, 3)} {a.Assignment} (>= {Scorer.ProbabilityThreshold} vs {o.Output} > 0, {binary.Frames} frames)"));
                }
            }
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string F(double? value, int decimals) => value is { } v ? v.ToString("F" + decimals.ToString(C), C) : "n/a";
}
