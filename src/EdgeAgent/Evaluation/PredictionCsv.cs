using System.Globalization;
using System.Text;

namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>
/// evaluate's per-frame file: <c>frame,time</c>, then per assignment the clip used and the
/// prediction per labelled output (6 decimals, smoothed when asked; a level as a whole number), then the labels. Empty cells are frames
/// without a prediction or a label.
/// </summary>
public static class PredictionCsv
{
    public static void Write(string path, IReadOnlyList<FramePredictions> assignments, IReadOnlyList<LabelColumn> labels)
    {
        var c = CultureInfo.InvariantCulture;
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        var header = new List<string> { "frame", "time" };
        foreach (var a in assignments)
        {
            var suffix = Name(a.Assignment);
            header.Add($"clip_{suffix}");
            header.AddRange(labels.Select(l => $"{l.Output}_{suffix}"));
        }

        header.AddRange(labels.Select(l => $"label_{l.Output}"));
        writer.WriteLine(string.Join(',', header));
        var frames = assignments.Count == 0 ? 0 : assignments[0].Frames;
        var row = new List<string>();
        for (var i = 0; i < frames; i++)
        {
            row.Clear();
            row.Add(i.ToString(c));
            row.Add((i / assignments[0].FrameRate).ToString("F3", c));
            foreach (var a in assignments)
            {
                row.Add(a.Clips[i]?.ToString(c) ?? "");
                row.AddRange(labels.Select(l => a.Values[l.Output][i]?.ToString(l.Kind == LabelKind.Level ? "0" : "F6", c) ?? ""));
            }

            row.AddRange(labels.Select(l => i < l.Values.Count && l.Values[i] is { } v ? v.ToString("R", c) : ""));
            writer.WriteLine(string.Join(',', row));
        }
    }

    public static string Name(FrameAssignment assignment) => assignment == FrameAssignment.Live ? "live" : "centred";
}
