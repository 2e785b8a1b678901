using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// EDA between sensor and backbones: filtered and resampled to each stream's rate by its own
/// <see cref="EdaFrontEnd"/>; a clip is missing (judged on the first stream's segment) when the
/// sensor stalls or most readings fall outside the pack's valid range (electrode off reads near
/// 0 uS, a short reads saturated), or any reading in it is not a finite number. A reading not
/// after the previous one (a source's clock stepped back) is dropped and counted, not fatal.
/// </summary>
internal sealed class EdaTrack : IModalityTrack
{
    private readonly EdaFrontEnd[] frontEnds;
    private readonly float[] judged;
    private readonly StreamingOptions options;
    private readonly TimeSpan stallTimeout;
    private TimeSpan judgedEnd;
    private string? endedReason = MissingReasons.NoSource;
    private TimeSpan? newest;

    public EdaTrack(string name, IReadOnlyList<StreamSpec> streams, MissingSpec missing, double inputSampleRate, StreamingOptions options)
    {
        Name = name;
        this.options = options;
        frontEnds = [.. streams.Select(s => new EdaFrontEnd(
            s.Eda ?? throw new ArgumentException($"stream '{s.Name}': recipe '{s.Recipe}' does not read EDA ({StreamRecipes.Eda})"),
            inputSampleRate, missing.Value))];
        judged = new float[frontEnds[0].SegmentSamples];
        stallTimeout = options.For(name).StallTimeout;
    }

    public string Name { get; }

    public long SamplesReceived { get; private set; }

    /// <summary>Readings dropped because their timestamp was not after the previous reading's.</summary>
    public long OutOfOrderSamples { get; private set; }

    public void Push(EdaSample sample)
    {
        if (sample.Timestamp <= newest)
        {
            OutOfOrderSamples++;
            return;
        }

        endedReason = null;
        newest = sample.Timestamp;
        foreach (var frontEnd in frontEnds)
        {
            frontEnd.Push(sample);
        }

        SamplesReceived++;
    }

    public void MarkEnded(string reason) => endedReason = reason;

    public string? Judge(long clip, TimeSpan clipEnd)
    {
        judgedEnd = clipEnd;
        var quality = frontEnds[0].Fill(clipEnd, judged);
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

    public void WriteInput(int stream, Span<float> input)
    {
        if (stream == 0)
        {
            judged.CopyTo(input);
        }
        else
        {
            frontEnds[stream].Fill(judgedEnd, input);
        }
    }

    public void Finish(long clip)
    {
    }

    public void WriteSubstitute(int stream, Span<float> input) => input.Fill(frontEnds[stream].NeutralValue);

    public void Dispose()
    {
    }
}
