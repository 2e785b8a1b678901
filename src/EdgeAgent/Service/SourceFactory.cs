using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using Microsoft.Extensions.Logging;
using EdgeEmotion.Sensors;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Eda.Simulation;
using EdgeEmotion.Sensors.Microphone;
using EdgeEmotion.Sensors.Replay;
using EdgeEmotion.Sensors.Synthetic;

namespace EdgeEmotion.EdgeAgent.Service;

/// <summary>The sources a config asks for, all paced in real time from the service's start.</summary>
internal sealed partial class SourceFactory(SourcesConfig config, PackManifest pack, string baseDirectory, TimeProvider clock, ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger<SourceFactory>();
    private readonly DropoutScript dropouts = DropoutScript.Parse(config.Dropouts);

    /// <summary>The face photo of a checkout, for synthetic video when the config names none.</summary>
    public static string DefaultFaceImage => Path.Combine(AppContext.BaseDirectory, "media", "face.jpg");

    /// <summary>
    /// What feeds each of the pack's modalities (by modality name), for the <c>source</c> of every
    /// score and status message: only a sensor is a patient's signal.
    /// </summary>
    public static IReadOnlyDictionary<string, SourceKind> Kinds(SourcesConfig config, PackManifest pack)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pack);
        return pack.Modalities.ToDictionary(
            m => m.Name,
            m => KindOf(m.Kind switch
            {
                ModalityKinds.Video => config.Visual,
                ModalityKinds.Audio => config.Audio,
                ModalityKinds.Eda => config.Eda,
                _ => null,
            }),
            StringComparer.Ordinal);
    }

    private static SourceKind KindOf(SourceConfig? source) => source switch
    {
        null => SourceKind.None,
        { Type: SourceType.File } => SourceKind.File,
        { Type: SourceType.Synthetic } => SourceKind.Synthetic,
        { Type: SourceType.Camera, Camera.Kind: CameraKind.File } => SourceKind.File,
        { Type: SourceType.Ads1115, Simulate: not null } => SourceKind.Synthetic,
        _ => SourceKind.Device,
    };

    public ISampleSource<VideoFrame>? Video()
    {
        if (config.Visual is not { } source || !PackTakes(ModalityKinds.Video, "visual"))
        {
            return null;
        }

        var spec = PackSources.FrameClock(pack);
        if (source.Type is not (SourceType.File or SourceType.Camera))
        {
            // Plays the dropout script itself.
            return new SyntheticVideoSource(new SyntheticVideoOptions
            {
                FaceImagePath = source.FaceImage is { } face ? Resolve(face) : DefaultFaceImage,
                FrameRate = spec.FrameRate,
                Seed = source.Seed,
                Pacing = SourcePacing.RealTime,
                TimeProvider = clock,
                Dropouts = dropouts,
            });
        }

        ISampleSource<VideoFrame> video = source.Type == SourceType.File
            ? new VideoFileSource(Resolve(source.Path!), new VideoFileSourceOptions { FallbackFrameRate = spec.FrameRate, Pacing = SourcePacing.RealTime, TimeProvider = clock })
            : new CameraSource(source.Camera ?? new CameraOptions(), loggers.CreateLogger<CameraSource>(), clock);

        // A video file standing in for a camera (the demo on recorded video) plays the script's
        // visual dropouts too; a sensor's own failures are never scripted.
        return KindOf(source) == SourceKind.File && dropouts.Dropouts.Any(d => d.Modality == SensorModality.Visual)
            ? new ScriptedVideoDropouts(video, dropouts)
            : video;
    }

    public ISampleSource<AudioBlock>? Audio()
    {
        if (config.Audio is not { } source || !PackTakes(ModalityKinds.Audio, "audio"))
        {
            return null;
        }

        var rate = PackSources.AudioSampleRate(pack)!.Value;
        return source.Type switch
        {
            SourceType.File => new RealTimeSource<AudioBlock>(new WavFileSource(Resolve(source.Path!), rate), b => b.Timestamp, clock),
            // The device's own rate; the pipeline resamples to the pack's.
            SourceType.Alsa => new AlsaCaptureSource(source.Alsa ?? new AlsaCaptureOptions(), loggers.CreateLogger<AlsaCaptureSource>(), clock),
            _ => new SyntheticAudioSource(new SyntheticAudioOptions { SampleRate = rate, Seed = source.Seed, Pacing = SourcePacing.RealTime, TimeProvider = clock, Dropouts = dropouts }),
        };
    }

    public ISampleSource<EdaSample>? Eda(out double sampleRate)
    {
        sampleRate = PackSources.EdaSampleRate(pack) ?? 32;
        if (config.Eda is not { } source || !PackTakes(ModalityKinds.Eda, "eda"))
        {
            return null;
        }

        if (source.Type == SourceType.Ads1115)
        {
            var adc = source.Ads1115 ?? new Ads1115EdaOptions();
            adc = adc with { CalibrationFile = Resolve(adc.CalibrationFile) };
            sampleRate = adc.SampleRate;
            Func<System.Device.I2c.I2cDevice> device = Ads1115EdaSource.HardwareFactory(adc);
            if (source.Simulate is { } simulate)
            {
                var bench = EdaFrontEndModel.SimulatedBench();
                bench.AttachSkin(simulate.SkinMicrosiemens);
                var simulator = new Ads1115Simulator(bench, adc.BusId, adc.Address, clock);
                device = () => simulator;
            }

            return new Ads1115EdaSource(adc, device, loggers.CreateLogger<Ads1115EdaSource>(), clock);
        }

        if (source.Type == SourceType.File)
        {
            var path = Resolve(source.Path!);
            sampleRate = EdaCsvSource.MeasureSampleRateAsync(path, CancellationToken.None).GetAwaiter().GetResult();
            return new RealTimeSource<EdaSample>(new EdaCsvSource(path), s => s.Timestamp, clock);
        }

        var options = new SyntheticEdaOptions { Seed = source.Seed, Pacing = SourcePacing.RealTime, TimeProvider = clock, Dropouts = dropouts };
        sampleRate = options.SampleRate;
        return new SyntheticEdaSource(options);
    }

    private string Resolve(string path) => Path.Combine(baseDirectory, path);

    /// <summary>A device config names every sensor it has; a pack takes some of them. The others stay closed.</summary>
    private bool PackTakes(string kind, string modality)
    {
        if (pack.Modalities.Any(m => m.Kind == kind))
        {
            return true;
        }

        LogUnused(modality, pack.Id);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "sources.{Modality} is not opened: pack {Pack} has no such modality")]
    private partial void LogUnused(string modality, string pack);
}
