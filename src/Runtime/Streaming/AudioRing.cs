using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// The last seconds of one audio source at one sample rate, on the stream's sample clock: every
/// stream of an audio modality that takes this rate reads its segment from here. Gaps in the
/// stream are zeros marked missing; samples that are not finite (NaN, infinity: a broken file or
/// driver) are kept as zeros marked invalid, so no model ever sees them.
/// </summary>
internal sealed class AudioRing
{
    private readonly float[] ring;
    private readonly SampleState[] received;
    private readonly long contiguityTolerance;
    private AudioResampler? resampler;
    private int resamplerRate;
    private float[] resampled = [];
    private long written;
    private bool started;

    /// <param name="longestSegment">The longest segment a stream reads at this rate; two seconds more are kept for late clips.</param>
    public AudioRing(int sampleRate, int longestSegment)
    {
        SampleRate = sampleRate;
        ring = new float[longestSegment + (2 * sampleRate)];
        received = new SampleState[ring.Length];

        // Block timestamps jitter by a few samples (and a resampler shifts them); within 5 ms a
        // block continues the previous one.
        contiguityTolerance = sampleRate / 200;
    }

    public int SampleRate { get; }

    public long SamplesReceived { get; private set; }

    /// <summary>Samples received that were not finite (kept as invalid zeros).</summary>
    public long InvalidSamples { get; private set; }

    public void Push(AudioBlock block)
    {
        ReadOnlySpan<float> samples = block.Samples;
        if (block.SampleRate != SampleRate)
        {
            if (resampler is null || resamplerRate != block.SampleRate)
            {
                resampler = new AudioResampler(block.SampleRate, SampleRate);
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

        var start = (long)Math.Round(block.Timestamp.TotalSeconds * SampleRate);
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

    /// <summary>
    /// Writes the <c>segment.Length</c> samples ending at <paramref name="end"/> (zeros before the
    /// stream began, as the left zero padding of training, and where nothing usable was heard).
    /// </summary>
    public AudioSegmentQuality Read(TimeSpan end, Span<float> segment)
    {
        var last = (long)Math.Round(end.TotalSeconds * SampleRate);
        var start = last - segment.Length;
        long inStream = 0, missing = 0, invalid = 0, clipped = 0;
        double energy = 0;
        for (var k = 0; k < segment.Length; k++)
        {
            var index = start + k;
            if (index < 0)
            {
                segment[k] = 0;
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

        return new AudioSegmentQuality(inStream, missing, invalid, clipped, energy);
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

/// <summary>What one segment read from an <see cref="AudioRing"/> held.</summary>
/// <param name="InStream">Samples at or after the stream's start (the rest is left padding).</param>
/// <param name="Missing">Of those, samples never received (a gap, a stall, not yet arrived).</param>
/// <param name="Invalid">Samples received as NaN or infinity.</param>
/// <param name="Clipped">Heard samples at full scale.</param>
/// <param name="Energy">Sum of squares of the heard samples.</param>
internal readonly record struct AudioSegmentQuality(long InStream, long Missing, long Invalid, long Clipped, double Energy)
{
    public long Heard => InStream - Missing - Invalid;
}
