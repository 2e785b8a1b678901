using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// EDA between sensor and backbone: filtered and resampled to the pack's rate by
/// <see cref="EdaSegmenter"/>; a segment is missing when the sensor stalls or most readings fall
/// outside the pack's valid range (electrode off reads near 0 uS, a short reads saturated).
/// </summary>
internal sealed class EdaTrack(string name, EdaSpec spec, MissingSpec missing, double inputSampleRate, StreamingOptions options)
    : IModalityTrack
{
    private readonly EdaSegmenter segmenter = new(spec, inputSampleRate);
    private readonly TimeSpan stallTimeout = options.For(name).StallTimeout;
    private string? endedReason = MissingReasons.NoSource;

    public string Name { get; } = name;

    public long SamplesReceived { get; private set; }

    public void Push(EdaSample sample)
    {
        endedReason = null;
        segmenter.Push(sample);
        SamplesReceived++;
    }

    public void MarkEnded(string reason) => endedReason = reason;

    public string? Prepare(long clip, TimeSpan clipEnd, Span<float> input)
    {
        var quality = segmenter.Fill(clipEnd, input);
        if (quality.SamplesInSegment == 0 || quality.NewestSampleAge is not { } age || age > stallTimeout)
        {
            return endedReason ?? MissingReasons.Stalled;
        }

        return (double)quality.OutOfRange / quality.SamplesInSegment > options.EdaInvalidFraction ? MissingReasons.OutOfRange : null;
    }

    public void WriteSubstitute(Span<float> input) =>
        input.Fill(segmenter.Normalize(missing.Value ?? spec.Mean));

    public void Dispose()
    {
    }
}
