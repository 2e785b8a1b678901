namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>
/// Lin's concordance correlation coefficient, the affect metric of AffWild2 and of the papers:
/// 2 cov(x, y) / (var x + var y + (mean x - mean y)^2), with population statistics (divide by n).
/// </summary>
public static class ConcordanceCorrelation
{
    /// <summary>The CCC of two series of the same length, or why it is undefined (never NaN).</summary>
    public static Concordance Compute(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"the series differ in length ({x.Count} and {y.Count})");
        }

        if (x.Count < 2)
        {
            return new Concordance(null, $"{x.Count} frame(s): at least 2 are needed");
        }

        var meanX = x.Average();
        var meanY = y.Average();
        double varX = 0, varY = 0, cov = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            varX += dx * dx;
            varY += dy * dy;
            cov += dx * dy;
        }

        varX /= x.Count;
        varY /= x.Count;
        cov /= x.Count;
        var denominator = varX + varY + ((meanX - meanY) * (meanX - meanY));

        // Both series constant and equal: perfect agreement, but 0/0 by the formula.
        return denominator == 0 || !double.IsFinite(denominator)
            ? new Concordance(null, "prediction and label are the same constant: the CCC is 0/0")
            : new Concordance(Math.Clamp(2 * cov / denominator, -1, 1), null);
    }
}

/// <summary>A CCC, or null with the reason it is undefined.</summary>
public readonly record struct Concordance(double? Value, string? Undefined);
