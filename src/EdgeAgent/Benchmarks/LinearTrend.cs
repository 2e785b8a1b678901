namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>The least-squares line through (x, y) points: how fast a sampled quantity drifts.</summary>
internal readonly record struct LinearTrend(double Slope, double Intercept)
{
    /// <summary>Fits y = slope * x + intercept; a single point (or all at one x) gives slope 0.</summary>
    public static LinearTrend Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length || x.IsEmpty)
        {
            throw new ArgumentException($"need matching, non-empty x and y (got {x.Length} and {y.Length})");
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= x.Length;
        meanY /= y.Length;
        double sxy = 0, sxx = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
        }

        var slope = sxx > 0 ? sxy / sxx : 0;
        return new LinearTrend(slope, meanY - (slope * meanX));
    }
}
