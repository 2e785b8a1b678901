using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Replay;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// What <c>edgeemo demo</c> runs: the agent config (synthetic sources, or a recorded video looping
/// on the camera, with dropouts scripted every <see cref="DropoutCycle"/> seconds) and its banner.
/// </summary>
internal static class DemoSetup
{
    /// <summary>Seconds between the starts of the demo's scripted dropouts.</summary>
    internal const int DropoutCycle = 40;

    /// <summary>Seconds into the run of the first dropout.</summary>
    private const int FirstDropout = 8;

    /// <summary>
    /// The demo's dropouts per cycle (offset from the cycle's start, length), one per modality kind:
    /// the config's script and the banner both come from here, so the banner names only what runs.
    /// </summary>
    private static readonly (string Kind, string Script, string Words, int Offset, int Seconds)[] DropoutPlan =
    [
        (ModalityKinds.Video, "visual:missing", "missing", 0, 7),
        (ModalityKinds.Audio, "audio:silence", "silent", 18, 6),
        (ModalityKinds.Eda, "eda:electrode-off", "electrode off", 18, 8),
    ];

    private static IEnumerable<(string Name, string Script, string Words, int Offset, int Seconds)> DropoutsOf(PackManifest manifest) =>
        DropoutPlan.SelectMany(d => manifest.Modalities.Where(m => m.Kind == d.Kind).Take(1).Select(m => (m.Name, d.Script, d.Words, d.Offset, d.Seconds)));

    /// <summary>The banner's account of the scripted dropouts, naming only the pack's modalities.</summary>
    internal static string DescribeDropouts(PackManifest manifest) =>
        $"dropouts every {DropoutCycle} s, the first: " + string.Join(", ", DropoutsOf(manifest)
            .Select(d => $"{d.Name} {d.Words} {FirstDropout + d.Offset}-{FirstDropout + d.Offset + d.Seconds} s"));

    /// <summary>
    /// The demo's agent config. <paramref name="video"/>: a video file the camera plays, looping in
    /// real time, instead of the synthetic moving face photo; the scripted dropouts reach it too.
    /// </summary>
    internal static AgentConfig Config(string deviceId, string pack, PackManifest manifest, Uri broker, string stateDirectory, string? video = null)
    {
        bool Has(string kind) => manifest.Modalities.Any(m => m.Kind == kind);
        var synthetic = new SourceConfig { Type = SourceType.Synthetic };
        var camera = video is null ? synthetic : new SourceConfig
        {
            Type = SourceType.Camera,
            Camera = new CameraOptions { Kind = CameraKind.File, Path = Path.GetFullPath(video), Loop = true },
        };

        // A modality drops out now and then (every DropoutCycle, for a day), so the view and the
        // status topic show held and substituted states.
        var dropouts = new List<string>();
        for (var t = FirstDropout; t < 86_400; t += DropoutCycle)
        {
            dropouts.AddRange(DropoutsOf(manifest).Select(d => $"{d.Script}@{t + d.Offset}-{t + d.Offset + d.Seconds}"));
        }

        return new AgentConfig
        {
            DeviceId = deviceId,
            Pack = pack,
            Sources = new SourcesConfig
            {
                Visual = camera,
                Audio = Has(ModalityKinds.Audio) ? synthetic : null,
                Eda = Has(ModalityKinds.Eda) ? synthetic : null,
                Dropouts = string.Join(',', dropouts),
            },
            Inference = new Runtime.Inference.InferenceOptions { Providers = [Runtime.Inference.ExecutionProviderKind.Cpu] },
            Streaming = new StreamingOptions { Defaults = new ModalityOptions { MaxHold = TimeSpan.FromSeconds(3) } },
            Mqtt = new MqttOptions { Broker = broker, HealthInterval = TimeSpan.FromSeconds(5) },
            Queue = new ScoreQueueOptions { Directory = Path.Combine(stateDirectory, "queue") },
        };
    }

    /// <summary>
    /// Whether <paramref name="video"/> is a file whose first frame decodes, checked before the demo
    /// starts: the camera would otherwise retry a file it cannot read for as long as the demo runs.
    /// Prints the problem (for exit 2) when not.
    /// </summary>
    internal static async Task<bool> CheckVideoAsync(string video, TextWriter error, CancellationToken cancellationToken)
    {
        if (!InputFile.Check("--video", video, error))
        {
            return false;
        }

        try
        {
            await using var file = new VideoFileSource(video);
            await foreach (var frame in file.ReadAsync(cancellationToken))
            {
                frame.Dispose();
                return true;
            }
        }
        catch (SourceException e)
        {
            error.WriteLine($"error: --video: {e.Message}");
            return false;
        }

        error.WriteLine($"error: --video {video}: no frame of it decodes");
        return false;
    }
}
