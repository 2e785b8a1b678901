using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Eda.Simulation;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Deploy;

/// <summary>
/// The device half of <c>run --check</c> on the shipped example config, against fake machine roots: a
/// dev box (checks skipped, each saying why), a Jetson without the sensors (each one fails) and a
/// Jetson with them (ok).
/// </summary>
public sealed class SourceCheckTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("edgeemo-machine-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>The sources of deploy/jetson/edgeemo.json, as the agent reads them.</summary>
    private static SourcesConfig ExampleSources()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "deploy/jetson/edgeemo.json"));
        return AgentConfigReader.Parse(text, "edgeemo.json").Sources;
    }

    private static PackManifest Manifest(string pack) => ModelPackLoader.Load(TestPaths.Pack(pack)).Manifest;

    private Dictionary<string, SourceCheckResult> Check(SourceCheck check, string pack) =>
        check.Check(ExampleSources(), Manifest(pack), root).ToDictionary(r => r.Modality);

    [Fact]
    public void The_example_config_names_the_device_sensors_with_the_values_of_an_Orin_with_a_CSI_camera()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "deploy/jetson/edgeemo.json"));
        var sources = ExampleSources();

        Assert.DoesNotContain("synthetic", text, StringComparison.OrdinalIgnoreCase);
        Assert.Null(sources.Dropouts);
        Assert.Equal(SourceType.Camera, sources.Visual!.Type);
        Assert.Equal(CameraKind.Csi, sources.Visual.Camera!.Kind);
        Assert.StartsWith("nvarguscamerasrc sensor-id=0 ! video/x-raw(memory:NVMM),width=1280,height=720,framerate=30/1", CsiPipeline.Build(sources.Visual.Camera), StringComparison.Ordinal);
        Assert.Equal(SourceType.Alsa, sources.Audio!.Type);
        Assert.Equal("plughw:CARD=Device,DEV=0", sources.Audio.Alsa!.Device);
        Assert.Equal(SourceType.Ads1115, sources.Eda!.Type);
        Assert.Null(sources.Eda.Simulate);
        Assert.Equal(7, sources.Eda.Ads1115!.BusId);
        Assert.Equal(0x48, sources.Eda.Ads1115.Address);
        Assert.Equal("/var/lib/edgeemo/calibration/eda.json", sources.Eda.Ads1115.CalibrationFile);
    }

    [Fact]
    public void Off_a_Jetson_every_device_check_is_skipped_and_says_what_was_not_checked()
    {
        var check = new SourceCheck(root);

        var results = Check(check, "pain-tiny");

        Assert.False(check.IsJetson);
        Assert.Equal(SourceCheckOutcome.Skipped, results["visual"].Outcome);
        Assert.Equal("visual: camera csi sensor 0 1280x720@30: skipped, not a Jetson (no /etc/nv_tegra_release): Argus socket /tmp/argus_socket, CSI sensor and GStreamer OpenCV not checked", results["visual"].ToString());
        Assert.Equal("eda: ads1115 /dev/i2c-7 0x48: skipped, not a Jetson: no /dev/i2c-7 here", results["eda"].ToString());
        Assert.Equal(SourceCheckOutcome.Unused, results["audio"].Outcome);
        Assert.Contains("pack pain-tiny has no audio modality (it takes visual, eda): not opened", results["audio"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Off_a_Jetson_a_missing_microphone_is_skipped_and_the_cards_found_are_named()
    {
        WriteSoundCard(1, "PCH");

        var results = Check(new SourceCheck(root), "affect-tiny");

        Assert.Equal("audio: alsa plughw:CARD=Device,DEV=0: skipped, not a Jetson: no such capture device here (this machine has: hw:CARD=PCH,DEV=0)", results["audio"].ToString());
        Assert.Equal(SourceCheckOutcome.Unused, results["eda"].Outcome);
    }

    [Theory]
    [InlineData("etc/nv_tegra_release", "# R36 (release), REVISION: 4.3")]
    [InlineData("proc/device-tree/compatible", "nvidia,p3768-0000+p3767-0005\0nvidia,p3767-0005\0nvidia,tegra234\0")]
    public void On_a_Jetson_without_the_sensors_each_source_fails_and_says_what_is_missing(string marker, string content)
    {
        Write(marker, content);
        var check = new SourceCheck(root) { OpenCv = () => new OpenCvBuild(HasGStreamer: false, HasV4l2: true, HasFfmpeg: true) };

        var pain = Check(check, "pain-tiny");
        var affect = Check(check, "affect-tiny");

        Assert.True(check.IsJetson);
        Assert.Equal(SourceCheckOutcome.Failed, pain["visual"].Outcome);
        Assert.Contains("no /tmp/argus_socket: nvargus-daemon is not running", pain["visual"].Detail, StringComparison.Ordinal);
        Assert.Contains("no CSI sensor", pain["visual"].Detail, StringComparison.Ordinal);
        Assert.Contains("the loaded OpenCV has no GStreamer", pain["visual"].Detail, StringComparison.Ordinal);
        Assert.Equal(SourceCheckOutcome.Failed, pain["eda"].Outcome);
        Assert.Contains("no /dev/i2c-7: check busId", pain["eda"].Detail, StringComparison.Ordinal);
        Assert.Equal(SourceCheckOutcome.Failed, affect["audio"].Outcome);
        Assert.Contains("no such capture device (this machine has: none", affect["audio"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_Jetson_an_ADS1115_that_does_not_answer_fails()
    {
        Write("etc/nv_tegra_release", "# R36");
        Write("dev/i2c-7", "");
        var check = new SourceCheck(root) { OpenI2c = (bus, address) => new Ads1115Simulator(busId: bus, address: address) { Fault = SimulatedFault.Nack } };

        var eda = Check(check, "pain-tiny")["eda"];

        Assert.Equal(SourceCheckOutcome.Failed, eda.Outcome);
        Assert.StartsWith("nothing answers at 0x48", eda.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_Jetson_with_the_sensors_every_source_is_ok()
    {
        Write("etc/nv_tegra_release", "# R36");
        Write("tmp/argus_socket", "");
        Write("dev/video0", "");
        Write("sys/class/video4linux/video0/name", "vi-output, imx219 9-0010\n");
        Write("dev/i2c-7", "");
        WriteSoundCard(2, "Device");
        var check = new SourceCheck(root)
        {
            OpenCv = () => new OpenCvBuild(HasGStreamer: true, HasV4l2: true, HasFfmpeg: false),
            OpenI2c = (bus, address) => new Ads1115Simulator(busId: bus, address: address),
        };

        var pain = Check(check, "pain-tiny");
        var affect = Check(check, "affect-tiny");

        Assert.Equal("visual: camera csi sensor 0 1280x720@30: ok, Argus socket, CSI sensor and GStreamer OpenCV present", pain["visual"].ToString());
        Assert.Equal("eda: ads1115 /dev/i2c-7 0x48: ok, answers (config 0x8583)", pain["eda"].ToString());
        Assert.Equal("audio: alsa plughw:CARD=Device,DEV=0: ok, capture device present", affect["audio"].ToString());
    }

    [Fact]
    public async Task A_sensor_the_pack_does_not_take_is_not_opened()
    {
        var sources = new SourcesConfig
        {
            Visual = new SourceConfig { Type = SourceType.Synthetic },
            Audio = new SourceConfig { Type = SourceType.Synthetic },
            Eda = new SourceConfig { Type = SourceType.Synthetic },
        };

        var affect = new SourceFactory(sources, Manifest("affect-tiny"), root, TimeProvider.System, NullLoggerFactory.Instance);
        var pain = new SourceFactory(sources, Manifest("pain-tiny"), root, TimeProvider.System, NullLoggerFactory.Instance);

        Assert.Null(affect.Eda(out _));
        Assert.Null(pain.Audio());
        await using var audio = affect.Audio();
        await using var eda = pain.Eda(out _);
        Assert.NotNull(audio);
        Assert.NotNull(eda);
    }

    [Theory]
    [InlineData("hw:1,0", "1", 0)]
    [InlineData("plughw:CARD=Device,DEV=0", "Device", 0)]
    [InlineData("dsnoop:CARD=APE,DEV=3", "APE", 3)]
    [InlineData("hw:2", "2", 0)]
    public void ALSA_card_addresses_are_read_from_PCM_names(string pcm, string card, int device) =>
        Assert.Equal(new AlsaCardAddress(card, device), SourceCheck.CardAddress(pcm));

    [Theory]
    [InlineData("default")]
    [InlineData("testmic")]
    [InlineData("hw:CARD=X,DEV=one")]
    public void Other_PCM_names_are_not_card_addresses(string pcm) => Assert.Null(SourceCheck.CardAddress(pcm));

    private void WriteSoundCard(int index, string id)
    {
        Write("proc/asound/cards", $" {index} [{id,-15}]: USB-Audio - USB PnP Sound Device\n                      C-Media USB PnP Sound Device at usb-3610000.usb-2.1, full speed\n");
        Write("proc/asound/pcm", $"{index:00}-00: USB Audio : USB Audio : capture 1\n");
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
