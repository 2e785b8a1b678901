using EdgeEmotion.EdgeAgent.Plotting;

namespace EdgeEmotion.EdgeAgent.Tests.Plotting;

public sealed class MinMaxColumnsTests
{
    [Fact]
    public void Every_column_keeps_its_lowest_and_highest_point_so_a_single_spike_survives()
    {
        // 100 000 points over 1000 columns; one spike up and one down, each a single point.
        var points = Enumerable.Range(0, 100_000).Select(i => new PlotPoint(i / 100.0, Math.Sin(i / 5000.0))).ToArray();
        points[31_337] = points[31_337] with { Y = 7 };
        points[77_001] = points[77_001] with { Y = -9 };

        var kept = MinMaxColumns.Reduce(points);

        Assert.InRange(kept.Count, 1000, 4000);
        Assert.Contains(points[31_337], kept);
        Assert.Contains(points[77_001], kept);
        Assert.Equal(points.Max(p => p.Y), kept.Max(p => p.Y));
        Assert.Equal(points.Min(p => p.Y), kept.Min(p => p.Y));
        foreach (var column in points.GroupBy(p => Math.Floor(p.X)))
        {
            var drawn = kept.Where(p => Math.Floor(p.X) == column.Key).ToList();
            Assert.InRange(drawn.Count, 1, 4);
            Assert.Equal(column.Min(p => p.Y), drawn.Min(p => p.Y));
            Assert.Equal(column.Max(p => p.Y), drawn.Max(p => p.Y));
            Assert.Equal(column.First(), drawn[0]);
            Assert.Equal(column.Last(), drawn[^1]);
        }

        Assert.Equal(kept.OrderBy(p => p.X), kept); // still in time order
    }

    [Fact]
    public void Points_a_column_or_more_apart_are_all_kept()
    {
        var points = Enumerable.Range(0, 50).Select(i => new PlotPoint(i * 2.5, i % 3)).ToArray();

        Assert.Equal(points, MinMaxColumns.Reduce(points));
    }
}
