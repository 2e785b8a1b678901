using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Sensors;
using EdgeEmotion.Sensors.Synthetic;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>What a benchmark or soak run streams: the pack's hop and where the synthetic face comes from.</summary>
internal sealed record BenchRigOptions
{
    /// <summary>Frames between outputs; null is the pack's clip spacing.</summary>
    public int? Hop { get; init; }

    /// <summary>The photo the synthetic camera moves around (the one next to the binary by default).</summary>
    public string FaceImage { get; init; } = SourceFactory.DefaultFaceImage;

    public int Seed { get; init; } = 1;

    /// <summary>The agent's face models, for packs whose face recipe uses the trained detector.</summary>
    public FaceModelFolder? FaceModels { get; init; }
}

/// <summary>
/// The streaming pipeline on endless synthetic camera, microphone and EDA (whichever the pack
/// takes), generated as fast as the pipeline takes them and the same on every run, merged by
/// <see cref="ReplayDriver"/> and published through <see cref="BenchPublisher"/>: the device's
/// data path with the sensors and the broker cut off.
/// </summary>
internal sealed class BenchRig : IAsyncDisposable
{
    private readonly SyntheticVideoSource? video;
    private readonly SyntheticAudioSource? audio;
    private readonly SyntheticEdaSource? eda;

    private BenchRig(PackSessions sessions, BenchRigOptions options, ILoggerFactory loggers)
    {
        var manifest = sessions.Pack.Manifest;
        Manifest = manifest;
        Modalities = [.. manifest.Modalities.Select(m => (m.Name, m.Kind))];
        var visual = PackSources.FrameClock(manifest);
        var audioRate = PackSources.AudioSampleRate(manifest);
        var hasEda = manifest.Modalities.Any(m => m.Kind == ModalityKinds.Eda);
        var edaOptions = new SyntheticEdaOptions { Seed = options.Seed, Pacing = SourcePacing.AsFastAsPossible };
        try
        {
            // Sources first: a missing face photo is a clear error before the pipeline is built.
            video = new SyntheticVideoSource(new SyntheticVideoOptions
            {
                FaceImagePath = options.FaceImage,
                FrameRate = visual.FrameRate,
                Seed = options.Seed,
                Pacing = SourcePacing.AsFastAsPossible,
            });
            audio = audioRate is not { } rate ? null : new SyntheticAudioSource(new SyntheticAudioOptions
            {
                SampleRate = rate,
                Seed = options.Seed,
                Pacing = SourcePacing.AsFastAsPossible,
            });
            eda = hasEda ? new SyntheticEdaSource(edaOptions) : null;
            Pipeline = new StreamingPipeline(sessions, new StreamingOptions { Hop = options.Hop }, loggers.CreateLogger<StreamingPipeline>(),
                edaInputSampleRate: hasEda ? edaOptions.SampleRate : null, faceModels: options.FaceModels);
            Driver = new ReplayDriver(Pipeline, loggers.CreateLogger<ReplayDriver>());
            Publisher = new BenchPublisher(manifest, loggers);
        }
        catch
        {
            Pipeline?.Dispose();
            DisposeSourcesAsync().GetAwaiter().GetResult(); // synthetic sources dispose synchronously
            throw;
        }
    }

    public PackManifest Manifest { get; }

    public StreamingPipeline Pipeline { get; }

    public ReplayDriver Driver { get; }

    public BenchPublisher Publisher { get; }

    /// <summary>Frames between outputs.</summary>
    public int Hop => Pipeline.Schedule.Hop;

    /// <summary>Outputs until every clip feature the fusion window reaches is from this run: the pipeline's state has filled.</summary>
    public int OutputsToFill => Manifest.Window * (Manifest.ClipSpacing / Hop);

    /// <summary>Media time each output covers.</summary>
    public TimeSpan MediaPerOutput => Pipeline.Schedule.EndTime(1) - Pipeline.Schedule.EndTime(0);

    /// <exception cref="ArgumentException">The hop or the pack does not fit (the message says why).</exception>
    /// <exception cref="FileNotFoundException">The face photo is missing.</exception>
    public static BenchRig Create(PackSessions sessions, BenchRigOptions options, ILoggerFactory loggers) => new(sessions, options, loggers);

    /// <summary>Outputs, endlessly; the caller stops by leaving the loop or cancelling.</summary>
    public IAsyncEnumerable<ScoreOutput> RunAsync(CancellationToken cancellationToken) => Driver.RunAsync(video, audio, eda, cancellationToken);

    /// <summary>The modality kind each modality name of the pack has (decode time is kept per source kind).</summary>
    public IReadOnlyList<(string Name, string Kind)> Modalities { get; }

    public async ValueTask DisposeAsync()
    {
        Publisher.Dispose();
        Pipeline.Dispose();
        await DisposeSourcesAsync();
    }

    // The driver disposes the sources it ran; disposing again is harmless, and covers a rig never run.
    private async Task DisposeSourcesAsync()
    {
        if (video is not null)
        {
            await video.DisposeAsync();
        }

        if (audio is not null)
        {
            await audio.DisposeAsync();
        }

        if (eda is not null)
        {
            await eda.DisposeAsync();
        }
    }
}
