namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// What the pipeline has done so far: the numbers behind "a backbone never sees a clip twice".
/// Model runs are per stream name (a version-1 modality is one stream of its name).
/// </summary>
public sealed record PipelineCounters(
    long Clips,
    long FusionRuns,
    IReadOnlyDictionary<string, long> BackboneRuns,
    IReadOnlyDictionary<string, long> SubstituteRuns,
    long VideoFramesReceived,
    long VideoSlots,
    long FaceDetections,
    long NoSignalOutputs)
{
    /// <summary>Imagination model runs per stream that has one (a missing modality's features predicted from the present ones).</summary>
    public IReadOnlyDictionary<string, long> ImaginationRuns { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);
}
