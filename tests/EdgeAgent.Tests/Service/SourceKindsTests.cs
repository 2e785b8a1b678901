using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>What each config source type is called in messages: only a sensor is "device".</summary>
public sealed class SourceKindsTests
{
    private static readonly PackManifest Affect = ModelPackLoader.Load(TestPaths.Pack("affect-tiny")).Manifest;
    private static readonly PackManifest Pain = ModelPackLoader.Load(TestPaths.Pack("pain-tiny")).Manifest;

    [Fact]
    public void Sensors_are_device_sources()
    {
        var csi = new SourcesConfig { Visual = new SourceConfig { Type = SourceType.Camera }, Audio = new SourceConfig { Type = SourceType.Alsa } };
        var v4l2 = new SourcesConfig
        {
            Visual = new SourceConfig { Type = SourceType.Camera, Camera = new CameraOptions { Kind = CameraKind.V4l2 } },
            Eda = new SourceConfig { Type = SourceType.Ads1115 },
        };

        Assert.Equal(Kinds(("visual", SourceKind.Device), ("audio", SourceKind.Device)), SourceFactory.Kinds(csi, Affect));
        Assert.Equal(Kinds(("visual", SourceKind.Device), ("eda", SourceKind.Device)), SourceFactory.Kinds(v4l2, Pain));
    }

    [Fact]
    public void Recordings_simulators_and_absent_sources_are_not()
    {
        var recorded = new SourcesConfig
        {
            Visual = new SourceConfig { Type = SourceType.Camera, Camera = new CameraOptions { Kind = CameraKind.File } },
            Audio = new SourceConfig { Type = SourceType.File, Path = "speech.wav" },
        };
        var simulated = new SourcesConfig
        {
            Visual = new SourceConfig { Type = SourceType.Synthetic },
            Eda = new SourceConfig { Type = SourceType.Ads1115, Simulate = new SimulatedEdaConfig() },
        };
        var partial = new SourcesConfig { Visual = new SourceConfig { Type = SourceType.File, Path = "face.mp4" } };

        Assert.Equal(Kinds(("visual", SourceKind.File), ("audio", SourceKind.File)), SourceFactory.Kinds(recorded, Affect));
        Assert.Equal(Kinds(("visual", SourceKind.Synthetic), ("eda", SourceKind.Synthetic)), SourceFactory.Kinds(simulated, Pain));
        Assert.Equal(Kinds(("visual", SourceKind.File), ("audio", SourceKind.None)), SourceFactory.Kinds(partial, Affect));
    }

    private static Dictionary<string, SourceKind> Kinds(params (string Name, SourceKind Kind)[] kinds) =>
        kinds.ToDictionary(k => k.Name, k => k.Kind, StringComparer.Ordinal);
}
