using System.Buffers.Binary;
using System.Device.I2c;
using System.Globalization;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Microphone;

namespace EdgeEmotion.EdgeAgent.Service;

/// <summary>What <c>run --check</c> found for one configured source.</summary>
public enum SourceCheckOutcome
{
    /// <summary>The hardware (or file, or generator) it needs is there.</summary>
    Ok,

    /// <summary>Not a Jetson: the device checks do not apply to this machine, so they were not made.</summary>
    Skipped,

    /// <summary>The pack has no such modality: the source is not opened.</summary>
    Unused,

    /// <summary>On a Jetson, the hardware it names is missing or unusable: the modality will be missing.</summary>
    Failed,
}

/// <summary>One line of <c>run --check</c>: a configured source, the outcome and why.</summary>
public sealed record SourceCheckResult(string Modality, string Source, SourceCheckOutcome Outcome, string Detail)
{
    public override string ToString() =>
        $"{Modality}: {Source}: {Outcome.ToString().ToLowerInvariant()}{(Detail.Length == 0 ? "" : ", " + Detail)}";
}

/// <summary>
/// The device half of <c>run --check</c>: for each configured source, whether the hardware it names is
/// on this machine. The checks only look (device nodes, the Argus socket, the sound cards the kernel
/// lists) and read one ADS1115 register, so they are safe while the service runs. On a machine that
/// is not a Jetson they are skipped, each saying what was not checked; on a Jetson a missing camera,
/// microphone or ADC fails the check (the agent would run with that modality missing).
/// </summary>
internal sealed class SourceCheck(string root = "/")
{
    /// <summary>The Unix socket through which nvarguscamerasrc reaches nvargus-daemon.</summary>
    public const string ArgusSocket = "/tmp/argus_socket";

    /// <summary>The OpenCV behind OpenCvSharpExtern; null when it does not load.</summary>
    public Func<OpenCvBuild?> OpenCv { get; init; } = DetectOpenCv;

    /// <summary>Opens bus N, address A (tests give a simulator).</summary>
    public Func<int, int, I2cDevice> OpenI2c { get; init; } = (bus, address) => I2cDevice.Create(new I2cConnectionSettings(bus, address));

    /// <summary>A Jetson: JetPack's release file, or a Tegra SoC in the device tree.</summary>
    public bool IsJetson =>
        File.Exists(At("/etc/nv_tegra_release"))
        || (File.Exists(At("/proc/device-tree/compatible")) && File.ReadAllText(At("/proc/device-tree/compatible")).Contains("nvidia,tegra", StringComparison.Ordinal));

    public IReadOnlyList<SourceCheckResult> Check(SourcesConfig sources, PackManifest pack, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(pack);
        var jetson = IsJetson;
        var results = new List<SourceCheckResult>();
        foreach (var (modality, kind, source) in new[] { ("visual", ModalityKinds.Video, sources.Visual), ("audio", ModalityKinds.Audio, sources.Audio), ("eda", ModalityKinds.Eda, sources.Eda) })
        {
            if (source is null)
            {
                continue;
            }

            var result = source.Type switch
            {
                SourceType.Camera => Camera(source.Camera ?? new CameraOptions(), jetson),
                SourceType.Alsa => Microphone(source.Alsa ?? new AlsaCaptureOptions(), jetson),
                SourceType.Ads1115 when source.Simulate is not null => new SourceCheckResult("", "ads1115 simulator", SourceCheckOutcome.Ok, "no I2C, simulated readings"),
                SourceType.Ads1115 => Adc(source.Ads1115 ?? new Ads1115EdaOptions(), jetson),
                SourceType.File => new SourceCheckResult("", $"file {source.Path}", SourceCheckOutcome.Ok, "recorded samples, not a sensor"),
                _ => new SourceCheckResult("", "synthetic", SourceCheckOutcome.Ok, "generated samples, not a sensor"),
            };
            if (pack.Modalities.All(m => m.Kind != kind))
            {
                result = result with
                {
                    Outcome = SourceCheckOutcome.Unused,
                    Detail = $"pack {pack.Id} has no {modality} modality (it takes {string.Join(", ", pack.Modalities.Select(m => m.Name))}): not opened",
                };
            }

            results.Add(result with { Modality = modality });
        }

        return results;
    }

    private SourceCheckResult Camera(CameraOptions camera, bool jetson)
    {
        if (camera.Kind == CameraKind.File)
        {
            return new SourceCheckResult("", $"camera file {camera.Path}", SourceCheckOutcome.Ok, "recorded video, not a sensor");
        }

        if (camera.Kind == CameraKind.V4l2)
        {
            var name = $"camera v4l2 {camera.Device}";
            return File.Exists(At(camera.Device)) ? new SourceCheckResult("", name, SourceCheckOutcome.Ok, "device node present")
                : jetson ? new SourceCheckResult("", name, SourceCheckOutcome.Failed, $"no {camera.Device} (`edgeemo devices` lists the cameras)")
                : new SourceCheckResult("", name, SourceCheckOutcome.Skipped, $"not a Jetson: no {camera.Device} here");
        }

        var csi = $"camera csi sensor {camera.SensorId} {camera.Width}x{camera.Height}@{camera.FrameRate}";
        var argus = CsiPipeline.Build(camera).Contains("nvarguscamerasrc", StringComparison.Ordinal);
        if (!jetson)
        {
            return new SourceCheckResult("", csi, SourceCheckOutcome.Skipped,
                $"not a Jetson (no /etc/nv_tegra_release): {(argus ? $"Argus socket {ArgusSocket}, CSI sensor and " : "")}GStreamer OpenCV not checked");
        }

        var problems = new List<string>();
        if (argus && !File.Exists(At(ArgusSocket)))
        {
            problems.Add($"no {ArgusSocket}: nvargus-daemon is not running (systemctl status nvargus-daemon)");
        }

        if (argus && !CameraDevices.CsiCameraPresent(CameraDevices.List(At("/dev"), At("/sys/class/video4linux")), At("/proc/device-tree")))
        {
            problems.Add("no CSI sensor: no vi-output /dev/video* and no tegra-camera-platform module in the device tree");
        }

        var opencv = OpenCv();
        if (opencv is null)
        {
            problems.Add("OpenCvSharpExtern does not load (deploy/jetson/README.md, step 4)");
        }
        else if (!opencv.HasGStreamer)
        {
            problems.Add("the loaded OpenCV has no GStreamer: build OpenCvSharpExtern against JetPack's OpenCV (deploy/jetson/README.md, step 4)");
        }

        return problems.Count == 0
            ? new SourceCheckResult("", csi, SourceCheckOutcome.Ok, argus ? "Argus socket, CSI sensor and GStreamer OpenCV present" : "GStreamer OpenCV present")
            : new SourceCheckResult("", csi, SourceCheckOutcome.Failed, string.Join("; ", problems));
    }

    private SourceCheckResult Microphone(AlsaCaptureOptions alsa, bool jetson)
    {
        var name = $"alsa {alsa.Device}";
        var devices = AlsaDevices.ListCapture(At("/proc/asound"));
        var found = devices.Count == 0 ? "none" : string.Join(", ", devices.Select(d => d.Name));
        bool? present = CardAddress(alsa.Device) is { } address
            ? devices.Any(d => address.Matches(d))
            : alsa.Device is "default" or "sysdefault" ? devices.Count > 0 : null;
        return present switch
        {
            null => new SourceCheckResult("", name, SourceCheckOutcome.Ok, "a PCM of the ALSA configuration, not a card address: opened at start"),
            true => new SourceCheckResult("", name, SourceCheckOutcome.Ok, "capture device present"),
            false when jetson => new SourceCheckResult("", name, SourceCheckOutcome.Failed, $"no such capture device (this machine has: {found}; `edgeemo devices` lists them)"),
            false => new SourceCheckResult("", name, SourceCheckOutcome.Skipped, $"not a Jetson: no such capture device here (this machine has: {found})"),
        };
    }

    private SourceCheckResult Adc(Ads1115EdaOptions adc, bool jetson)
    {
        var node = $"/dev/i2c-{adc.BusId.ToString(CultureInfo.InvariantCulture)}";
        var name = $"ads1115 {node} 0x{adc.Address:X2}";
        if (!jetson)
        {
            return new SourceCheckResult("", name, SourceCheckOutcome.Skipped,
                $"not a Jetson: {(File.Exists(At(node)) ? $"{node} not probed" : $"no {node} here")}");
        }

        if (!File.Exists(At(node)))
        {
            return new SourceCheckResult("", name, SourceCheckOutcome.Failed, $"no {node}: check busId (`i2cdetect -l`) and that i2c-dev is loaded (sensors-eda.md)");
        }

        try
        {
            // The driver sets the register pointer in every transfer, so this read cannot confuse a running agent.
            using var device = OpenI2c(adc.BusId, adc.Address);
            Span<byte> config = stackalloc byte[2];
            device.WriteRead([Ads1115Registers.Config], config);
            return new SourceCheckResult("", name, SourceCheckOutcome.Ok, $"answers (config 0x{BinaryPrimitives.ReadUInt16BigEndian(config):X4})");
        }
        catch (UnauthorizedAccessException e)
        {
            return new SourceCheckResult("", name, SourceCheckOutcome.Failed, $"cannot open {node} ({e.Message}): the user needs the i2c group (sensors-eda.md)");
        }
        catch (IOException e)
        {
            return new SourceCheckResult("", name, SourceCheckOutcome.Failed, $"nothing answers at 0x{adc.Address:X2} ({e.Message}): check wiring and address (`i2cdetect -y -r {adc.BusId}`)");
        }
    }

    private string At(string absolute) => Path.Combine(root, absolute.TrimStart('/'));

    private static OpenCvBuild? DetectOpenCv()
    {
        try
        {
            return OpenCvBuild.Detect();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>The card and device of <c>hw:1,0</c>, <c>plughw:CARD=Device,DEV=0</c>, <c>dsnoop:CARD=X</c> ...; null for other PCM names.</summary>
    internal static AlsaCardAddress? CardAddress(string pcm)
    {
        var colon = pcm.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || pcm[..colon] is not ("hw" or "plughw" or "dsnoop" or "sysdefault" or "front"))
        {
            return null;
        }

        string? card = null;
        var device = 0;
        var positional = 0;
        foreach (var part in pcm[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            var (key, value) = part.Split('=', 2) is [var k, var v] ? (k, v) : (positional++ == 0 ? "CARD" : "DEV", part);
            if (key.Equals("CARD", StringComparison.OrdinalIgnoreCase))
            {
                card = value.Trim('"');
            }
            else if (key.Equals("DEV", StringComparison.OrdinalIgnoreCase) && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out device))
            {
                return null;
            }
        }

        return card is null ? null : new AlsaCardAddress(card, device);
    }
}

/// <summary>A sound card (index or id) and a PCM device on it.</summary>
internal sealed record AlsaCardAddress(string Card, int Device)
{
    public bool Matches(AlsaDevice device) =>
        device.Device == Device
        && (Card == device.Card.ToString(CultureInfo.InvariantCulture) || device.Name.StartsWith($"hw:CARD={Card},", StringComparison.Ordinal));
}
