using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>Drives a real pipeline over a tiny pack with real footage and generated audio/EDA, in media time.</summary>
internal sealed class PipelineHarness : IDisposable
{
    public PipelineHarness(string pack, StreamingOptions? options = null)
        : this(CpuSessions.Open(TestPaths.Pack(pack)), options)
    {
    }

    /// <summary>A pipeline over sessions already open; the harness disposes them.</summary>
    public PipelineHarness(PackSessions sessions, StreamingOptions? options = null)
    {
        Sessions = sessions;
        Pipeline = new StreamingPipeline(Sessions, options ?? new StreamingOptions(), NullLogger<StreamingPipeline>.Instance, edaInputSampleRate: 32,
            faceModels: new FaceModelFolder(TestPaths.FaceModels, CpuSessions.Factory()));
    }

    public PackSessions Sessions { get; }

    public StreamingPipeline Pipeline { get; }

    public List<ScoreOutput> Outputs { get; } = [];

    /// <summary>Frames of the face video (or any video) from <paramref name="from"/> to <paramref name="to"/> seconds.</summary>
    public static IEnumerable<VideoFrame> Frames(string path, double from = 0, double to = double.MaxValue)
    {
        using var capture = new VideoCapture(path);
        var fps = capture.Fps;
        for (var i = 0; ; i++)
        {
            var image = new Mat();
            if (!capture.Read(image) || image.Empty())
            {
                image.Dispose();
                yield break;
            }

            var t = i / fps;
            if (t < from || t >= to)
            {
                image.Dispose();
                continue;
            }

            yield return new VideoFrame(TimeSpan.FromSeconds(t), image);
        }
    }

    /// <summary>Speech-like audio: a gliding harmonic tone in syllable bursts, 20 ms blocks.</summary>
    public static IEnumerable<AudioBlock> Speech(double from, double to, int rate = 44100, double level = 0.2)
    {
        var block = rate / 50;
        for (var start = (long)(from * rate); start < to * rate; start += block)
        {
            var samples = new float[block];
            for (var k = 0; k < block; k++)
            {
                var t = (double)(start + k) / rate;
                var f0 = 140 + (40 * Math.Sin(2 * Math.PI * 0.7 * t));
                var envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 4 * t));
                var x = 0.0;
                for (var h = 1; h <= 6; h++)
                {
                    x += Math.Sin(2 * Math.PI * f0 * h * t) / h;
                }

                samples[k] = (float)(level * envelope * x / 2);
            }

            yield return new AudioBlock(TimeSpan.FromSeconds((double)start / rate), rate, samples);
        }
    }

    /// <summary>EDA at 32 Hz: a tonic level with a slow response, or a constant value.</summary>
    public static IEnumerable<EdaSample> Eda(double from, double to, double? constant = null)
    {
        for (var i = (long)Math.Ceiling(from * 32); i < to * 32; i++)
        {
            var t = i / 32.0;
            yield return new EdaSample(TimeSpan.FromSeconds(t), constant ?? (5 + (0.8 * Math.Exp(-Math.Pow(t - 4, 2)))));
        }
    }

    /// <summary>Pushes samples of all streams merged by time, advancing after each, as the replay driver does.</summary>
    public void Run(IEnumerable<VideoFrame>? video = null, IEnumerable<AudioBlock>? audio = null, IEnumerable<EdaSample>? eda = null, double? until = null)
    {
        var merged = new List<(TimeSpan Time, int Order, Action Push)>();
        foreach (var f in video ?? [])
        {
            merged.Add((f.Timestamp, 0, () => Pipeline.Push(f)));
        }

        foreach (var b in audio ?? [])
        {
            merged.Add((b.Timestamp, 1, () => Pipeline.Push(b)));
        }

        foreach (var s in eda ?? [])
        {
            merged.Add((s.Timestamp, 2, () => Pipeline.Push(s)));
        }

        foreach (var (time, _, push) in merged.OrderBy(m => m.Time).ThenBy(m => m.Order))
        {
            push();
            AdvanceTo(time);
        }

        if (until is { } end)
        {
            AdvanceTo(TimeSpan.FromSeconds(end));
        }
    }

    /// <summary>Scores every clip that ended by <paramref name="time"/> into <see cref="Outputs"/>.</summary>
    public void AdvanceTo(TimeSpan time)
    {
        while (Pipeline.TryAdvance(time, out var output))
        {
            Outputs.Add(output);
        }
    }

    public void Dispose()
    {
        Pipeline.Dispose();
        Sessions.Dispose();
    }
}
