using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// An audio modality: the source kept once per sample rate its streams take (<see cref="AudioRing"/>),
/// one judgement per clip over the first stream's segment (coverage, invalid samples, silence,
/// clipping), and each stream's input by its recipe: the normalised log-mel, or the raw
/// waveform (<see cref="WaveformNormalizer"/>).
/// </summary>
internal sealed class AudioTrack : IModalityTrack
{
    private readonly StreamingOptions options;
    private readonly AudioRing[] rings;
    private readonly AudioStream[] streams;
    private TimeSpan judgedEnd;
    private string? endedReason = MissingReasons.NoSource;

    public AudioTrack(string name, IReadOnlyList<StreamSpec> streamSpecs, StreamingOptions options)
    {
        Name = name;
        this.options = options;
        streams = [.. streamSpecs.Select(AudioStream.For)];
        rings = [.. streams.GroupBy(s => s.SampleRate).Select(g => new AudioRing(g.Key, g.Max(s => s.Segment.Length)))];
        foreach (var stream in streams)
        {
            stream.Ring = rings.Single(r => r.SampleRate == stream.SampleRate);
        }
    }

    public string Name { get; }

    public void Push(AudioBlock block)
    {
        endedReason = null;
        foreach (var ring in rings)
        {
            ring.Push(block);
        }
    }

    public void MarkEnded(string reason) => endedReason = reason;

    public string? Judge(long clip, TimeSpan clipEnd)
    {
        judgedEnd = clipEnd;
        var judged = streams[0];
        var q = judged.Ring.Read(clipEnd, judged.Segment);
        if (q.InStream > 0 && q.Heard + q.Invalid < q.InStream / 2)
        {
            return endedReason ?? MissingReasons.Stalled;
        }

        if (q.Invalid > 0)
        {
            return MissingReasons.InvalidSamples;
        }

        if (q.Heard > 0)
        {
            var rmsDbfs = 10 * Math.Log10(Math.Max(q.Energy / q.Heard, 1e-20));
            if (rmsDbfs < options.SilenceDbfs)
            {
                return MissingReasons.Silent;
            }

            if ((double)q.Clipped / q.Heard > options.ClippedFraction)
            {
                return MissingReasons.Clipped;
            }
        }

        return null;
    }

    public void WriteInput(int stream, Span<float> input)
    {
        var s = streams[stream];
        if (stream != 0)
        {
            s.Ring.Read(judgedEnd, s.Segment); // the first stream's segment was read by the judgement
        }

        s.Write(s.Segment, input);
    }

    public void Finish(long clip)
    {
    }

    public void WriteSubstitute(int stream, Span<float> input)
    {
        var s = streams[stream];
        Array.Clear(s.Segment);
        s.Write(s.Segment, input);
    }

    public void Dispose()
    {
    }

    /// <summary>One stream's segment buffer and recipe.</summary>
    private sealed class AudioStream(int sampleRate, int segmentSamples, AudioStream.Recipe write)
    {
        public int SampleRate { get; } = sampleRate;

        public float[] Segment { get; } = new float[segmentSamples];

        public AudioRing Ring { get; set; } = null!;

        public delegate void Recipe(ReadOnlySpan<float> segment, Span<float> input);

        public void Write(float[] segment, Span<float> input) => write(segment, input);

        public static AudioStream For(StreamSpec spec)
        {
            switch (spec.Recipe)
            {
                case StreamRecipes.LogMel:
                    var logMel = new LogMelSpectrogram(spec.Logmel!);
                    return new AudioStream(logMel.SampleRate, logMel.SegmentSamples, (segment, input) => logMel.Compute(segment, input));
                case StreamRecipes.Waveform:
                    var waveform = new WaveformNormalizer(spec.Waveform!);
                    return new AudioStream(waveform.SampleRate, waveform.Samples, (segment, input) => waveform.Normalize(segment, input));
                default:
                    throw new ArgumentException($"stream '{spec.Name}': recipe '{spec.Recipe}' does not read audio ({StreamRecipes.LogMel}, {StreamRecipes.Waveform})");
            }
        }
    }
}
