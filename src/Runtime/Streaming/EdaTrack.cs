using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// EDA between sensor and backbone: filtered and resampled to the pack's rate by
/// <see cref="EdaFrontEnd"/>; a segment is missing when the sensor stalls or most readings fall
/// outside the pack's valid range (electrode off reads near 0 uS, a short reads saturated), or any
/// reading in it is not a finite number. A reading not after the previous one (a source's clock
/// stepped back) is dropped and counted, not fatal.
/// </summary>
internal sealed class EdaTrack(string name, EdaSpec spec, MissingSpec missing, double inputSampleRate, StreamingOptions options)
    : IModalityTrack
{
    private readonly EdaFrontEnd frontEnd = new(spec, inputSampleRate, missing.Value);
    private readonly TimeSpan stallTimeout = options.For(name).StallTimeout;
    private string? endedReason = MissingReasons.NoSource;

    public string Name { get; } = name;

    public long SamplesReceived { get; private set; }

    /// <summary>Readings dropped because their timestamp was not after the previous reading's.</summary>
    public long OutOfOrderSamples { get; private set; }

    private TimeSpan? newest;

    public void Push(EdaSample sample)
    {
        if (sample.Timestamp <= newest)
        {
            OutOfOrderSamples++;
            return;
        }

        endedReason = null;
        newest = sample.Timestamp;
        frontEnd.Push(sample);
        SamplesReceived++;
    }

    public void MarkEnded(string reason) => endedReason = reason;

    public string? Prepare(long clip, TimeSpan clipEnd, Span<float> input)
    {
        var quality = frontEnd.Fill(clipEnd, input);
        if (quality.SamplesInSpan == 0 || quality.NewestSampleAge is not { } age || age > stallTimeout)
        {
            return endedReason ?? MissingReasons.Stalled;
        }

        if (quality.InvalidSamples > 0)
        {
            return MissingReasons.InvalidSamples;
        }

        return (double)quality.OutOfRangeSamples / quality.SamplesInSpan > options.EdaInvalidFraction ? MissingReasons.OutOfRange : null;
    }

    public void WriteSubstitute(Span<float> input) => input.Fill(frontEnd.NeutralValue);

    public void Dispose()
    {
    }
}
