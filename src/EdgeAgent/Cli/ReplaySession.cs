using System.Globalization;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Sensors.Replay;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// One run of recorded media through the streaming pipeline, as the device would stream it:
/// the part <c>replay</c> and <c>evaluate</c> share. Opens the pack and the sources (an unusable
/// file is an exception before any work), then hands each output to the caller.
/// </summary>
internal sealed class ReplaySession
{
    private ReplaySession(ModelPack pack, PipelineCounters counters, ReplayDriver driver, double? videoFrameRate, long videoFramesRead)
    {
        Pack = pack;
        Counters = counters;
        Driver = driver;
        VideoFrameRate = videoFrameRate;
        VideoFramesRead = videoFramesRead;
    }

    public ModelPack Pack { get; }

    public PipelineCounters Counters { get; }

    public ReplayDriver Driver { get; }

    /// <summary>The video file's frame rate (from its container, else the pack's); null without video.</summary>
    public double? VideoFrameRate { get; }

    /// <summary>Frames the video decoded (0 without video).</summary>
    public long VideoFramesRead { get; }

    /// <summary>Loads the pack and checks that it takes every modality given a file.</summary>
    /// <exception cref="ArgumentException">A file is given for a modality the pack lacks.</exception>
    public static ModelPack LoadPack(ReplaySetup setup)
    {
        var pack = ModelPackLoader.Load(setup.Pack);
        foreach (var (kind, file) in setup.Files)
        {
            if (file is not null && !pack.Manifest.Modalities.Any(m => m.Kind == kind))
            {
                throw new ArgumentException(
                    $"pack {pack.Id} has no {kind} modality (it takes {string.Join(", ", pack.Manifest.Modalities.Select(m => m.Kind))}); drop --{kind}");
            }
        }

        return pack;
    }

    /// <summary>
    /// Runs the replay; <paramref name="opened"/> is told the video's frame rate and its reported
    /// frame count (when the container states one) before any decoding, so a caller can refuse early.
    /// </summary>
    public static async Task<ReplaySession> RunAsync(
        ReplaySetup setup, ModelPack pack, ILoggerFactory loggerFactory, TextWriter error,
        Func<ScoreOutput, CancellationToken, ValueTask> onOutput, CancellationToken cancellationToken,
        Action<double, long?>? opened = null)
    {
        var audioRate = PackSources.AudioSampleRate(pack.Manifest);
        var videoSpec = PackSources.FrameClock(pack.Manifest);

        // Sources open their files here, so an unreadable file is a clear error before any work.
        await using var video = setup.Files[ModalityKinds.Video] is { } v ? new VideoFileSource(v, new VideoFileSourceOptions { FallbackFrameRate = videoSpec.FrameRate }) : null;
        await using var audio = setup.Files[ModalityKinds.Audio] is { } a ? new WavFileSource(a, audioRate!.Value) : null;
        await using var eda = setup.Files[ModalityKinds.Eda] is { } e ? new EdaCsvSource(e) : null;
        if (audio is not null && await audio.OpenAsync(cancellationToken) is { Truncated: true } cut)
        {
            // A recording cut off is still worth scoring, but not silently.
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: audio file {setup.Files[ModalityKinds.Audio]}: the data chunk ends before its declared size; replaying the {cut.Duration.TotalSeconds:F2} s present"));
        }

        if (video is not null)
        {
            opened?.Invoke(video.FrameRate, video.ReportedFrameCount);
        }

        var factory = new ModelSessionFactory(setup.Inference, loggerFactory.CreateLogger<ModelSessionFactory>());
        using var sessions = PackSessions.Open(pack, factory);
        double? edaRate = setup.Files[ModalityKinds.Eda] is { } edaFile ? await EdaCsvSource.MeasureSampleRateAsync(edaFile, cancellationToken) : null;
        using var pipeline = new StreamingPipeline(sessions, setup.Streaming, loggerFactory.CreateLogger<StreamingPipeline>(),
            edaInputSampleRate: edaRate ?? PackSources.EdaSampleRate(pack.Manifest), faceModels: new FaceModelFolder(setup.FaceModels, factory));
        var driver = new ReplayDriver(pipeline, loggerFactory.CreateLogger<ReplayDriver>());
        await foreach (var output in driver.RunAsync(video, audio, eda, cancellationToken))
        {
            await onOutput(output, cancellationToken);
        }

        return new ReplaySession(pack, pipeline.Counters, driver, video?.FrameRate, video?.FramesRead ?? 0);
    }
}
