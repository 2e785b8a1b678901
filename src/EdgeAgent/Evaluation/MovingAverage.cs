namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>
/// The centred moving average the paper applies to per-frame outputs before scoring: frame i
/// averages frames i - (n-1)/2 to i + n/2 (integer division; n = 20 takes i-9..i+10). Frames
/// without a prediction (before the first output, no-signal) are left out of every window and
/// stay without one, so the window shrinks at the edges and at gaps.
/// </summary>
public static class MovingAverage
{
    public static double?[] Centred(IReadOnlyList<double?> values, int window)
    {
        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "a window holds at least one frame");
        }

        var result = new double?[values.Count];
        var before = (window - 1) / 2;
        var after = window / 2;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                continue;
            }

            double sum = 0;
            var count = 0;
            for (var j = Math.Max(0, i - before); j <= Math.Min(values.Count - 1, i + after); j++)
            {
                if (values[j] is { } v)
                {
                    sum += v;
                    count++;
                }
            }

            result[i] = sum / count;
        }

        return result;
    }
}
