using System.Text.Json.Serialization;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>
/// One look at the process during a soak run. The managed heap counts garbage not yet collected;
/// the GC's committed memory (as of the last collection; 0 before the first) is its share of RSS,
/// so a step in RSS can be told managed or native.
/// </summary>
internal sealed record SoakSample(
    [property: JsonPropertyName("elapsed_s")] double ElapsedSeconds,
    [property: JsonPropertyName("outputs")] long Outputs,
    [property: JsonPropertyName("media_s")] double MediaSeconds,
    [property: JsonPropertyName("rss_mb")] double RssMb,
    [property: JsonPropertyName("managed_heap_mb")] double ManagedHeapMb,
    [property: JsonPropertyName("gc_committed_mb")] double GcCommittedMb,
    [property: JsonPropertyName("gc_collections")] GcCounts GcCollections,
    [property: JsonPropertyName("depths")] IReadOnlyDictionary<string, long> Depths);

/// <summary>When a soak run fails.</summary>
internal sealed record SoakThresholds
{
    /// <summary>RSS may not rise faster than this (MB per hour; 4 MB/h would be 670 MB in a week) ...</summary>
    [JsonPropertyName("max_rss_slope_mb_per_hour")]
    public double MaxRssSlopeMbPerHour { get; init; } = 4;

    /// <summary>... by more than this over the run: below it a fitted rise is allocator noise, not a trend.</summary>
    [JsonPropertyName("rss_noise_mb")]
    public double RssNoiseMb { get; init; } = 4;

    /// <summary>The first part of the run (JIT tiering, allocator arenas, GC budgets settling) is left out of the fits.</summary>
    [JsonPropertyName("settle_fraction")]
    public double SettleFraction { get; init; } = 0.1;

    /// <summary>Fewer samples than this after settling cannot show a trend: the run fails as too short.</summary>
    [JsonPropertyName("min_samples")]
    public int MinSamples { get; init; } = 6;
}

/// <summary>The end of a soak run: how memory and every queue moved, and whether that passes.</summary>
internal sealed record SoakReport(
    [property: JsonPropertyName("pack")] string Pack,
    [property: JsonPropertyName("hop_frames")] int HopFrames,
    [property: JsonPropertyName("duration_s")] double DurationSeconds,
    [property: JsonPropertyName("outputs")] long Outputs,
    [property: JsonPropertyName("media_s")] double MediaSeconds,
    [property: JsonPropertyName("real_time_factor")] double RealTimeFactor,
    [property: JsonPropertyName("rss_slope_mb_per_hour")] double RssSlopeMbPerHour,
    [property: JsonPropertyName("managed_heap_slope_mb_per_hour")] double ManagedHeapSlopeMbPerHour,
    [property: JsonPropertyName("gc_committed_slope_mb_per_hour")] double GcCommittedSlopeMbPerHour,
    [property: JsonPropertyName("depth_slopes_per_hour")] IReadOnlyDictionary<string, double> DepthSlopesPerHour,
    [property: JsonPropertyName("thresholds")] SoakThresholds Thresholds,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems,
    [property: JsonPropertyName("samples")] IReadOnlyList<SoakSample> Samples);
