using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// Keeps the last seconds of audio at the pack's rate on the stream's sample clock, and turns the
/// segment ending at a clip's end into the normalised log-mel the audio backbone takes.
/// Gaps in the stream are zeros and count against the segment's coverage. Samples that are not
/// finite (NaN, infinity: a broken file or driver) are kept as zeros marked invalid, and a segment
/// holding any is missing ("invalid samples"): no model ever sees them.
/// </summary>
internal sealed class AudioTrack : IModalityTrack
{
    private readonly AudioSpec spec;
    private readonly StreamingOptions options;
    private readonly LogMelSpectrogram logMel;
    private readonly float[] ring;
    private readonly SampleState[] received;
    private readonly float[] segment;
    private readonly long contiguityTolerance;
    private AudioResampler? resampler;
    private int resamplerRate;
    private float[] resampled = [];
    private long written;
    private bool started;
    private string? endedReason = MissingReasons.NoSource;

    public AudioTrack(string name, AudioSpec spec, StreamingOptions options)
    {
        Name = name;
        this.spec = spec;
        this.options = options;
        logMel = new LogMelSpectrogram(spec);
        ring = new float[spec.SegmentSamples + (2 * spec.SampleRate)];
        received = new SampleState[ring.Length];
        segment = new float[spec.SegmentSamples];

        // Block timestamps jitter by a few samples (and a resampler shifts them); within 5 ms a
        // block continues the previous one.
        contiguityTolerance = spec.SampleRate / 200;
    }

    public string Name { get; }

    public long SamplesReceived { get; private set; }

    /// <summary>Samples received that were not finite (kept as invalid zeros).</summary>
    public long InvalidSamples { get; private set; }

    public void Push(AudioBlock block)
    {
        endedReason = null;
        ReadOnlySpan<float> samples = block.Samples;
        if (block.SampleRate != spec.SampleRate)
        {
            if (resampler is null || resamplerRate != block.SampleRate)
            {
                resampler = new AudioResampler(block.SampleRate, spec.SampleRate);
                resamplerRate = block.SampleRate;
            }

            // One scratch buffer, grown to the longest block seen: nothing is allocated per block.
            var room = resampler.MaxOutputLength(block.Samples.Length);
            if (resampled.Length < room)
            {
                resampled = new float[room];
            }

            samples = resampled.AsSpan(0, resampler.Process(block.Samples, resampled));
        }

        var start = (long)Math.Round(block.Timestamp.TotalSeconds * spec.SampleRate);
        if (!started)
        {
            started = true;
            written = start;
            Clear(0, Math.Min(start, ring.Length), start);
        }
        else if (start > written + contiguityTolerance)
        {
            Clear(written, start - written, start);
        }
        else if (start < written - contiguityTolerance)
        {
            // Overlap with what we have: keep the older samples, drop the repeat.
            var skip = (int)Math.Min(samples.Length, written - start);
            samples = samples[skip..];
        }

        foreach (var sample in samples)
        {
            var i = (int)(written % ring.Length);
            var finite = float.IsFinite(sample);
            ring[i] = finite ? sample : 0;
            received[i] = finite ? SampleState.Heard : SampleState.Invalid;
            InvalidSamples += finite ? 0 : 1;
            written++;
        }

        SamplesReceived += samples.Length;
    }

    public void MarkEnded(string reason) => endedReason = reason;

    public string? Prepare(long clip, TimeSpan clipEnd, Span<float> input)
    {
        var end = (long)Math.Round(clipEnd.TotalSeconds * spec.SampleRate);
        var start = end - segment.Length;
        long inStream = 0, missing = 0, invalid = 0, clipped = 0;
        double energy = 0;
        for (var k = 0; k < segment.Length; k++)
        {
            var index = start + k;
            if (index < 0)
            {
                segment[k] = 0; // before the stream began: left zero padding, as in training
                continue;
            }

            inStream++;
            var slot = (int)(index % ring.Length);
            if (index >= written || index < written - ring.Length || received[slot] == SampleState.Missing)
            {
                segment[k] = 0;
                missing++;
                continue;
            }

            if (received[slot] == SampleState.Invalid)
            {
                segment[k] = 0;
                invalid++;
                continue;
            }

            var x = ring[slot];
            segment[k] = x;
            energy += (double)x * x;
            if (Math.Abs(x) >= 0.999f)
            {
                clipped++;
            }
        }

        var heard = inStream - missing - invalid;
        if (inStream > 0 && heard + invalid < inStream / 2)
        {
            return endedReason ?? MissingReasons.Stalled;
        }

        if (invalid > 0)
        {
            return MissingReasons.InvalidSamples;
        }

        if (heard > 0)
        {
            var rmsDbfs = 10 * Math.Log10(Math.Max(energy / heard, 1e-20));
            if (rmsDbfs < options.SilenceDbfs)
            {
                return MissingReasons.Silent;
            }

            if ((double)clipped / heard > options.ClippedFraction)
            {
                return MissingReasons.Clipped;
            }
        }

        logMel.Compute(segment, input);
        return null;
    }

    public void WriteSubstitute(Span<float> input)
    {
        Array.Clear(segment);
        logMel.Compute(segment, input);
    }

    public void Dispose()
    {
    }

    // Marks [from, from+count) as not received; `next` is where writing resumes.
    private void Clear(long from, long count, long next)
    {
        for (long k = 0; k < Math.Min(count, ring.Length); k++)
        {
            var i = (int)((from + k) % ring.Length);
            ring[i] = 0;
            received[i] = SampleState.Missing;
        }

        written = next;
    }

    private enum SampleState : byte
    {
        Missing,
        Heard,
        Invalid,
    }
}
