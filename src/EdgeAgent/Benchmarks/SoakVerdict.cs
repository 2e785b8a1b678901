using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>
/// Judges a soak run from its samples: least-squares slopes of RSS, managed heap and every queue
/// depth over the settled part of the run; it fails when RSS rises faster than the threshold by more
/// than the allocator's noise, or when a queue grows without bound.
/// </summary>
internal sealed record SoakVerdict(
    double RssSlopeMbPerHour,
    double ManagedHeapSlopeMbPerHour,
    double GcCommittedSlopeMbPerHour,
    IReadOnlyDictionary<string, double> DepthSlopesPerHour,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;

    public static SoakVerdict Judge(IReadOnlyList<SoakSample> samples, SoakThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(thresholds);
        var c = CultureInfo.InvariantCulture;
        var problems = new List<string>();
        if (samples.Count == 0)
        {
            return new SoakVerdict(0, 0, 0, new Dictionary<string, double>(), ["no samples were taken"]);
        }

        var settleFrom = samples[^1].ElapsedSeconds * thresholds.SettleFraction;
        var settled = samples.Where(s => s.ElapsedSeconds >= settleFrom).ToArray();
        if (settled.Length < thresholds.MinSamples)
        {
            problems.Add($"only {settled.Length} samples after settling, {thresholds.MinSamples} needed to see a trend: run longer or sample more often");
        }

        var hours = settled.Select(s => s.ElapsedSeconds / 3600).ToArray();
        var span = hours[^1] - hours[0];
        var rss = LinearTrend.Fit(hours, settled.Select(s => s.RssMb).ToArray());
        var rise = rss.Slope * span;
        if (rss.Slope > thresholds.MaxRssSlopeMbPerHour && rise > thresholds.RssNoiseMb)
        {
            problems.Add(string.Create(c,
                $"RSS grows {rss.Slope:F1} MB/h ({rise:F1} MB over the run): above {thresholds.MaxRssSlopeMbPerHour:F1} MB/h by more than the {thresholds.RssNoiseMb:F1} MB noise floor"));
        }

        var heap = LinearTrend.Fit(hours, settled.Select(s => s.ManagedHeapMb).ToArray());
        var committed = LinearTrend.Fit(hours, settled.Select(s => s.GcCommittedMb).ToArray());
        var depthSlopes = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in settled[0].Depths.Keys)
        {
            var values = settled.Select(s => (double)s.Depths.GetValueOrDefault(name)).ToArray();
            depthSlopes[name] = Math.Round(LinearTrend.Fit(hours, values).Slope, 3);
            if (GrowsWithoutBound(values))
            {
                var third = values.Length / 3;
                problems.Add(string.Create(c,
                    $"{name} grows without bound: at most {values[..third].Max():F0} in the first third of the run, at least {values[^third..].Min():F0} in the last"));
            }
        }

        return new SoakVerdict(Math.Round(rss.Slope, 3), Math.Round(heap.Slope, 3), Math.Round(committed.Slope, 3), depthSlopes, problems);
    }

    /// <summary>
    /// Growth, told apart from a bounded queue's ups and downs: every value in the last third of
    /// the series is above every value in its first third.
    /// </summary>
    internal static bool GrowsWithoutBound(ReadOnlySpan<double> values)
    {
        var third = values.Length / 3;
        if (third == 0)
        {
            return false;
        }

        var firstMax = double.NegativeInfinity;
        foreach (var v in values[..third])
        {
            firstMax = Math.Max(firstMax, v);
        }

        foreach (var v in values[^third..])
        {
            if (v <= firstMax)
            {
                return false;
            }
        }

        return true;
    }
}
