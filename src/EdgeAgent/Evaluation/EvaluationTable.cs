using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>The human form of evaluate's figures: one table row per assignment and output; "n/a" where a figure is undefined.</summary>
public static class EvaluationTable
{
    public static void Write(TextWriter writer, IReadOnlyList<AssignmentFigures> assignments)
    {
        foreach (var a in assignments)
        {
            writer.WriteLine($"{a.Assignment}: {a.FramesBeforeFirstOutput} frames before the first output, {a.FramesNoSignal} no-signal (no prediction)");
        }

        var continuous = assignments.SelectMany(a => a.Outputs.Where(o => o.Kind == "continuous").Select(o => (a.Assignment, o))).ToList();
        if (continuous.Count > 0)
        {
            writer.WriteLine($"{"assignment",-10} {"output",-16} {"CCC",8} {"frames",7} {"unlab.",7} {"no pred",7} {"smooth",6} {"pred mean",10} {"pred std",9} {"label mean",10} {"label std",9}");
            foreach (var (assignment, o) in continuous)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{assignment,-10} {o.Output,-16} {F(o.Ccc, 4),8} {o.Frames,7} {o.Unlabelled,7} {o.NoPrediction,7} {o.SmoothingFrames?.ToString(CultureInfo.InvariantCulture) ?? "-",6} {F(o.PredictionMean, 4),10} {F(o.PredictionStd, 4),9} {F(o.LabelMean, 4),10} {F(o.LabelStd, 4),9}"));
                if (o.CccUndefined is { } why)
                {
                    writer.WriteLine($"  {o.Output} CCC n/a: {why}");
                }
            }
        }

        var levels = assignments.SelectMany(a => a.Outputs.Where(o => o.Kind == "level").Select(o => (a.Assignment, o))).ToList();
        if (levels.Count > 0)
        {
            writer.WriteLine($"{"assignment",-10} {"output",-16} {"accuracy",8} {"MAE",7} {"frames",7} {"unlab.",7} {"no pred",7} {"pred mean",10} {"label mean",10}  binary (probability >= 0.5 vs level > 0)");
            foreach (var (assignment, o) in levels)
            {
                var binary = o.Binary is { } b ? $"{b.Output} accuracy {F(b.Accuracy, 4)} over {b.Frames} frames" : "-";
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{assignment,-10} {o.Output,-16} {F(o.Accuracy, 4),8} {F(o.MeanAbsoluteError, 3),7} {o.Frames,7} {o.Unlabelled,7} {o.NoPrediction,7} {F(o.PredictionMean, 3),10} {F(o.LabelMean, 3),10}  {binary}"));
            }
        }
    }

    private static string F(double? value, int decimals) =>
        value is { } v ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";
}
