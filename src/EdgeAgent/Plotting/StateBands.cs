namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>One shaded stretch of a modality's band: a state from one pixel column to another, with its times and a reason.</summary>
public sealed record StateBand(string State, string? Reason, int FirstColumn, int EndColumn, double Start, double End);

/// <summary>
/// A modality's states along time as shaded stretches. Each output's state covers the time from
/// the previous output's clip end to its own (the first output: one spacing before its end).
/// Stretches are cut on pixel columns; where one column holds several outputs it shows the most
/// severe state among them, so a dropout of one output in an hour still shows as a column.
/// </summary>
public static class StateBands
{
    public static IReadOnlyList<StateBand> For(IReadOnlyList<TracePoint> points, string modality, TimeScale scale)
    {
        var columns = new Cell?[(int)Math.Ceiling(scale.Width)];
        for (var i = 0; i < points.Count; i++)
        {
            if (!points[i].States.TryGetValue(modality, out var state))
            {
                continue;
            }

            var end = points[i].ClipEnd;
            var start = i > 0 ? points[i - 1].ClipEnd : Math.Max(scale.Start, end - (points.Count > 1 ? points[1].ClipEnd - end : end - scale.Start));
            var first = Math.Clamp((int)Math.Floor(scale.X(start) - scale.Left), 0, columns.Length - 1);
            var last = Math.Clamp((int)Math.Ceiling(scale.X(end) - scale.Left) - 1, first, columns.Length - 1);
            var severity = StatePalette.Severity(state.State);
            for (var c = first; c <= last; c++)
            {
                if (columns[c] is not { } cell || severity > cell.Severity)
                {
                    columns[c] = new Cell(state.State, state.Reason, severity, start, end);
                }
                else if (cell.State == state.State)
                {
                    columns[c] = cell with { Start = Math.Min(cell.Start, start), End = Math.Max(cell.End, end) };
                }
            }
        }

        var bands = new List<StateBand>();
        for (var c = 0; c < columns.Length;)
        {
            if (columns[c] is not { } cell)
            {
                c++;
                continue;
            }

            var next = c + 1;
            var end = cell.End;
            while (next < columns.Length && columns[next] is { } more && more.State == cell.State)
            {
                end = Math.Max(end, more.End);
                next++;
            }

            bands.Add(new StateBand(cell.State, cell.Reason, c, next, cell.Start, end));
            c = next;
        }

        return bands;
    }

    private readonly record struct Cell(string State, string? Reason, int Severity, double Start, double End);
}

/// <summary>The colour and the rank of each modality state; a state the plot does not know is grey and ranks above all.</summary>
public static class StatePalette
{
    /// <summary>The states the pipeline writes today, from its own data to the least of it.</summary>
    public static IReadOnlyList<string> Known => KnownStates;

    public const string OtherColour = "#bdbdbd";

    public static string Colour(string state) => state switch
    {
        "ok" => "#cfe8c6",
        "held" => "#fdd08a",
        "imagined" => "#b9d3f0",
        "substituted" => "#f29b9b",
        _ => OtherColour,
    };

    /// <summary>What a state means, for the legend.</summary>
    public static string Meaning(string state) => state switch
    {
        "ok" => "its own data",
        "held" => "missing: the last good clip stands in",
        "imagined" => "missing: predicted from the other modalities",
        "substituted" => "missing: black frames, silence or neutral EDA stand in",
        _ => "a state this plot does not know",
    };

    private static readonly string[] KnownStates = ["ok", "held", "imagined", "substituted"];

    public static int Severity(string state) => Array.IndexOf(KnownStates, state) is var i and >= 0 ? i : KnownStates.Length;
}
