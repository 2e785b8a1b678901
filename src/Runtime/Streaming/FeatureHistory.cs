namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// The clip features of one modality for the clips a fusion window can still reach: each clip's
/// backbone output is stored once and read by every window that includes the clip.
/// </summary>
internal sealed class FeatureHistory(int capacity, int dimension)
{
    private readonly float[] features = new float[capacity * dimension];
    private readonly long[] clips = Enumerable.Repeat(-1L, capacity).ToArray();

    public int Dimension { get; } = dimension;

    /// <summary>Clips held (at most the capacity).</summary>
    public int Count => clips.Count(c => c >= 0);

    /// <summary>The row for a clip, to write its feature into.</summary>
    public Span<float> Store(long clip)
    {
        var row = (int)(clip % clips.Length);
        clips[row] = clip;
        return features.AsSpan(row * Dimension, Dimension);
    }

    public ReadOnlySpan<float> Get(long clip)
    {
        var row = (int)(clip % clips.Length);
        if (clips[row] != clip)
        {
            throw new InvalidOperationException($"clip {clip} is no longer (or not yet) in the feature history");
        }

        return features.AsSpan(row * Dimension, Dimension);
    }
}
