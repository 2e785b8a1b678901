using System.Diagnostics;
using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>How long a soak runs and how often it looks.</summary>
internal sealed record SoakOptions(TimeSpan Duration, TimeSpan Interval, int WarmupOutputs, SoakThresholds Thresholds);

/// <summary>
/// An accelerated replay soak: a <see cref="BenchRig"/> streams endless synthetic media as fast as
/// it can for a wall-clock duration (one hour covers several hours of media), and every interval
/// samples RSS, the managed heap, GC counts and every queue or buffer depth the data path has,
/// printing each sample. The end judges the trends (<see cref="SoakVerdict"/>).
/// </summary>
internal static class SoakRun
{
    /// <param name="clock">The wall clock the duration and the sampling interval are measured on (tests pass their own).</param>
    public static async Task<SoakReport> RunAsync(BenchRig rig, SoakOptions options, TextWriter progress, CancellationToken cancellationToken, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Interval, TimeSpan.Zero);
        var samples = new List<SoakSample>();
        long produced = 0;
        long first = 0;
        var measuring = false;
        var started = 0L;
        var next = TimeSpan.Zero;
        var elapsed = TimeSpan.Zero;
        await foreach (var output in rig.RunAsync(cancellationToken))
        {
            rig.Publisher.Deliver(rig.Publisher.Publish(output));
            produced++;
            if (!measuring)
            {
                if (produced < options.WarmupOutputs)
                {
                    continue;
                }

                measuring = true;
                started = clock.GetTimestamp();
                first = produced;
            }

            elapsed = clock.GetElapsedTime(started);
            var done = elapsed >= options.Duration;
            if (elapsed >= next || done)
            {
                var sample = Sample(rig, elapsed, produced - first);
                samples.Add(sample);
                progress.WriteLine(Describe(sample));
                while (next <= elapsed)
                {
                    next += options.Interval;
                }
            }

            if (done)
            {
                break;
            }
        }

        var verdict = SoakVerdict.Judge(samples, options.Thresholds);
        var media = samples.Count == 0 ? 0 : samples[^1].MediaSeconds;
        return new SoakReport(
            rig.Manifest.Id,
            rig.Hop,
            Math.Round(elapsed.TotalSeconds, 1),
            produced - first,
            media,
            elapsed > TimeSpan.Zero ? Math.Round(media / elapsed.TotalSeconds, 3) : 0,
            verdict.RssSlopeMbPerHour,
            verdict.ManagedHeapSlopeMbPerHour,
            verdict.GcCommittedSlopeMbPerHour,
            verdict.DepthSlopesPerHour,
            options.Thresholds,
            verdict.Passed,
            verdict.Problems,
            samples);
    }

    private static SoakSample Sample(BenchRig rig, TimeSpan elapsed, long outputs)
    {
        var depths = rig.Pipeline.Depths;
        return new SoakSample(
            Math.Round(elapsed.TotalSeconds, 3),
            outputs,
            Math.Round(outputs * rig.MediaPerOutput.TotalSeconds, 3),
            Math.Round((ProcessMemory.ResidentBytes() ?? 0) / 1048576.0, 2),
            Math.Round(GC.GetTotalMemory(forceFullCollection: false) / 1048576.0, 2),
            Math.Round(GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0, 2),
            GcCounts.Now(),
            new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["video_slots"] = depths.VideoSlots,
                ["pooled_crops"] = depths.PooledCrops,
                ["feature_clips"] = depths.FeatureClips,
                ["smoothing_values"] = depths.SmoothingValues,
                ["score_queue"] = rig.Publisher.QueueDepth,
            });
    }

    private static string Describe(SoakSample s) => string.Create(CultureInfo.InvariantCulture,
        $"soak {s.ElapsedSeconds,8:F0} s  outputs {s.Outputs,7}  media {s.MediaSeconds,9:F0} s  rss {s.RssMb,7:F1} MB  heap {s.ManagedHeapMb,6:F1} MB  gc committed {s.GcCommittedMb,6:F1} MB  gc {s.GcCollections.Gen0}/{s.GcCollections.Gen1}/{s.GcCollections.Gen2}  {string.Join(' ', s.Depths.Select(d => $"{d.Key}={d.Value}"))}");
}
