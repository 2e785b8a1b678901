namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>Order statistics of measured samples, interpolated linearly between ranks (numpy's default).</summary>
internal static class Percentiles
{
    /// <param name="values">At least one value; not modified.</param>
    /// <param name="q">The quantile in [0, 1]: 0.5 is the median, 0.99 the 99th percentile.</param>
    public static double Of(ReadOnlySpan<double> values, double q)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("no values to take a percentile of", nameof(values));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
