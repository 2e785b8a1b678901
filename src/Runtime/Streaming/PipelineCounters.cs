namespace EdgeEmotion.Runtime.Streaming;

/// <summary>What the pipeline has done so far: the numbers behind "a backbone never sees a clip twice".</summary>
public sealed record PipelineCounters(
    long Clips,
    long FusionRuns,
    IReadOnlyDictionary<string, long> BackboneRuns,
    IReadOnlyDictionary<string, long> SubstituteRuns,
    long VideoFramesReceived,
    long VideoSlots,
    long FaceDetections,
    long NoSignalOutputs);
