using System.Text.Json.Serialization;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

// The streaming part of `edgeemo bench --json`: snake_case, as the issue names its fields
// (real_time_factor); the per-model part keeps its original camelCase names.

/// <summary>Milliseconds one stage took per output.</summary>
internal sealed record StageSummary(
    [property: JsonPropertyName("median_ms")] double MedianMs,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("mean_ms")] double MeanMs);

/// <summary>Managed bytes allocated per output, and where.</summary>
internal sealed record AllocationSummary(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("sources")] long Sources,
    [property: JsonPropertyName("pipeline")] long Pipeline,
    [property: JsonPropertyName("publish")] long Publish);

internal sealed record GcCounts(
    [property: JsonPropertyName("gen0")] int Gen0,
    [property: JsonPropertyName("gen1")] int Gen1,
    [property: JsonPropertyName("gen2")] int Gen2)
{
    public static GcCounts Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public GcCounts Since(GcCounts earlier) => new(Gen0 - earlier.Gen0, Gen1 - earlier.Gen1, Gen2 - earlier.Gen2);
}

/// <summary>The streaming pipeline on generated media, in steady state (after the warm-up outputs).</summary>
internal sealed record StreamBenchReport(
    [property: JsonPropertyName("hop_frames")] int HopFrames,
    [property: JsonPropertyName("frame_rate")] double FrameRate,
    [property: JsonPropertyName("warmup_outputs")] int WarmupOutputs,
    [property: JsonPropertyName("outputs")] int Outputs,
    [property: JsonPropertyName("media_seconds")] double MediaSeconds,
    [property: JsonPropertyName("compute_seconds")] double ComputeSeconds,
    [property: JsonPropertyName("real_time_factor")] double RealTimeFactor,
    [property: JsonPropertyName("stages")] IReadOnlyDictionary<string, StageSummary> Stages,
    [property: JsonPropertyName("backbone_runs_per_output")] IReadOnlyDictionary<string, double> BackboneRunsPerOutput,
    [property: JsonPropertyName("naive_backbone_runs_per_output")] int NaiveBackboneRunsPerOutput,
    [property: JsonPropertyName("backbone_runs_vs_naive")] IReadOnlyDictionary<string, double> BackboneRunsVsNaive,
    [property: JsonPropertyName("fusion_runs_per_output")] double FusionRunsPerOutput,
    [property: JsonPropertyName("face_detections_per_output")] double FaceDetectionsPerOutput,
    [property: JsonPropertyName("statuses")] IReadOnlyDictionary<string, int> Statuses,
    [property: JsonPropertyName("allocated_bytes_per_output")] long AllocatedBytesPerOutput,
    [property: JsonPropertyName("allocated_bytes_per_output_by_part")] AllocationSummary AllocatedBytesByPart,
    [property: JsonPropertyName("gc_collections")] GcCounts GcCollections,
    [property: JsonPropertyName("peak_rss_bytes")] long? PeakRssBytes,
    [property: JsonPropertyName("providers")] IReadOnlyDictionary<string, string> Providers);
