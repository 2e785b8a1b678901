namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>A point in the drawing: x in pixels, y in the series' own unit.</summary>
public readonly record struct PlotPoint(double X, double Y);

/// <summary>
/// Thins a run of points for drawing: per pixel column it keeps the first, the lowest, the highest
/// and the last point, in their order. The line then looks the same as with every point (it
/// passes through each column's extremes), a one-output spike in an hour survives, and a series
/// never holds more than four points per column, whatever its length.
/// </summary>
public static class MinMaxColumns
{
    /// <param name="points">One unbroken run (no gaps), in increasing x.</param>
    public static IReadOnlyList<PlotPoint> Reduce(IReadOnlyList<PlotPoint> points)
    {
        var kept = new List<PlotPoint>(Math.Min(points.Count, 4096));
        var start = 0;
        while (start < points.Count)
        {
            var column = Math.Floor(points[start].X);
            var end = start;
            int lowest = start, highest = start;
            while (end + 1 < points.Count && Math.Floor(points[end + 1].X) == column)
            {
                end++;
                if (points[end].Y < points[lowest].Y)
                {
                    lowest = end;
                }

                if (points[end].Y > points[highest].Y)
                {
                    highest = end;
                }
            }

            // Indices are in order, so the kept points stay in time order; a point is kept once.
            int[] picks = [start, Math.Min(lowest, highest), Math.Max(lowest, highest), end];
            for (var i = 0; i < picks.Length; i++)
            {
                if (i == 0 || picks[i] != picks[i - 1])
                {
                    kept.Add(points[picks[i]]);
                }
            }

            start = end + 1;
        }

        return kept;
    }
}
