namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// How much a pipeline holds between clips: video slots waiting for their clips, face-crop buffers
/// kept for reuse, clip features, smoothing values. Each is bounded by the pack and the hop; a soak
/// run samples them to show none grows with time.
/// </summary>
public sealed record PipelineDepths(int VideoSlots, int PooledCrops, int FeatureClips, int SmoothingValues);
