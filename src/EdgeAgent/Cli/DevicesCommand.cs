using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Microphone;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo devices [--json] [--ort-library PATH]</c>: the cameras, capture devices and I2C buses
/// this machine has, so a technician can fill the config, and the native stack: the OpenCV behind
/// OpenCvSharpExtern (with or without GStreamer), the ONNX Runtime library with the execution
/// providers it was built with, TensorRT's version and the GPU.
/// A machine with none says so and exits 0.
/// </summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var ortLibrary = InferenceArguments.CreateOrtLibraryOption();
        var command = new Command("devices", "List cameras (CSI/V4L2), ALSA capture devices, I2C buses with an ADS1115, OpenCV's video backends, ONNX Runtime's providers, TensorRT and the GPU") { json, ortLibrary };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            if (result.GetValue(ortLibrary) is { } path)
            {
                try
                {
                    OnnxRuntimeLibrary.UseNativeLibrary(path);
                }
                catch (Exception e) when (e is FileNotFoundException or InvalidOperationException)
                {
                    result.InvocationConfiguration.Error.WriteLine($"error: --ort-library: {e.Message}");
                    return ExitCodes.Usage;
                }
            }

            var cameras = CameraDevices.List();
            var accelerator = AcceleratorInfo.Probe();
            var report = new DevicesReport(
                cameras.Select(c => new CameraReport(c.Path, c.Name, c.LooksLikeCsi)).ToList(),
                CameraDevices.CsiCameraPresent(cameras),
                AlsaDevices.ListCapture().Select(d => new CaptureReport(d.Name, d.Description)).ToList(),
                I2cReports(),
                ProbeOpenCv(),
                ProbeOnnxRuntime(accelerator),
                ToReport(accelerator));
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.DevicesReport));
                return ExitCodes.Ok;
            }

            output.WriteLine(report.Cameras.Count == 0
                ? "cameras: none (no /dev/video*)"
                : "cameras:\n" + string.Join('\n', report.Cameras.Select(c => $"  {c.Path,-14} {c.Name}{(c.Csi ? "  (CSI)" : "")}")));
            if (report.CsiPresent && report.Cameras.All(c => !c.Csi))
            {
                output.WriteLine("  a CSI camera is described by the device tree (read it through nvarguscamerasrc)");
            }

            output.WriteLine(report.Microphones.Count == 0
                ? "microphones: none (no ALSA capture device in /proc/asound)"
                : "microphones:\n" + string.Join('\n', report.Microphones.Select(m => $"  {m.Name,-22} {m.Description}")));
            output.WriteLine(report.I2cBuses.Count == 0
                ? "i2c: none (no /dev/i2c-*)"
                : "i2c:\n" + string.Join('\n', report.I2cBuses.Select(b => $"  {b.Device,-14} {b.Ads1115}")));
            WriteOpenCv(output, report.OpenCv, report.CsiPresent);
            WriteInference(output, report.OnnxRuntime, report.Accelerator);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteOpenCv(TextWriter output, OpenCvReport opencv, bool csiPresent)
    {
        static string YesNo(bool value) => value ? "yes" : "no";
        output.WriteLine(opencv.Error is null
            ? $"opencv: {opencv.Version} (GStreamer {YesNo(opencv.GStreamer)}, V4L2 {YesNo(opencv.V4l2)}, FFMPEG {YesNo(opencv.Ffmpeg)})"
            : $"opencv: OpenCvSharpExtern cannot be loaded: {opencv.Error}");
        if (opencv.Error is null && csiPresent && !opencv.GStreamer)
        {
            output.WriteLine("  warning: a CSI camera needs GStreamer: build OpenCvSharpExtern against JetPack's OpenCV (deploy/jetson/README.md)");
        }
    }

    /// <summary>The OpenCV behind OpenCvSharpExtern and its video backends; a library that does not load is reported, not thrown.</summary>
    internal static OpenCvReport ProbeOpenCv()
    {
        try
        {
            var build = OpenCvBuild.Detect();
            return new OpenCvReport(OpenCvSharp.Cv2.GetVersionString(), build.HasGStreamer, build.HasV4l2, build.HasFfmpeg, null);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            return new OpenCvReport(null, false, false, false, (e.InnerException ?? e).Message);
        }
    }

    private static void WriteInference(TextWriter output, OnnxRuntimeReport ort, AcceleratorReport accelerator)
    {
        output.WriteLine(ort.Error is null
            ? $"onnx runtime: {ort.Version} ({ort.Library}; managed package {ort.ManagedVersion})\n  providers: {string.Join(", ", ort.Providers)}"
            : $"onnx runtime: cannot be loaded ({ort.Library}): {ort.Error}");
        output.WriteLine($"tensorrt: {accelerator.TensorRt ?? "none (no libnvinfer.so.10 or .8 on the library path)"}");
        output.WriteLine($"gpu: {accelerator.Gpu ?? "none found"}");
        foreach (var warning in ort.Warnings)
        {
            output.WriteLine($"  warning: {warning}");
        }

        if (ort.Error is null)
        {
            output.WriteLine("  (a provider listed here is built in; `edgeemo models verify PACK` shows which one each model really runs on)");
        }
    }

    /// <summary>The ONNX Runtime library this process uses and the providers it was built with; a library that does not load is reported, not thrown.</summary>
    internal static OnnxRuntimeReport ProbeOnnxRuntime(AcceleratorInfo accelerator)
    {
        var library = OnnxRuntimeLibrary.NativeLibraryPath ?? "packaged";
        var managed = OnnxRuntimeLibrary.ManagedVersion;
        try
        {
            var version = OnnxRuntimeLibrary.Version;
            var providers = OnnxRuntimeLibrary.AvailableProviders;
            var warnings = new List<string>();
            if (version != managed)
            {
                warnings.Add($"the native library is {version} but the managed package is {managed}: build the native library from the v{managed} tag (deploy/jetson/README.md)");
            }

            if (providers.Contains(ExecutionProviderKind.TensorRt.OrtName()) && accelerator.TensorRtVersion == AcceleratorInfo.None.TensorRtVersion)
            {
                warnings.Add("the tensorrt provider is built in but libnvinfer cannot be loaded: models will fall back to the next provider");
            }

            return new OnnxRuntimeReport(library, version, managed, providers.Select(ExecutionProviderNames.DisplayName).ToList(), warnings, null);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            return new OnnxRuntimeReport(library, null, managed, [], [], (e.InnerException ?? e).Message);
        }
    }

    private static AcceleratorReport ToReport(AcceleratorInfo accelerator) => new(
        accelerator.TensorRtVersion == AcceleratorInfo.None.TensorRtVersion ? null : accelerator.TensorRtVersion,
        accelerator.Gpu == AcceleratorInfo.None.Gpu ? null : accelerator.Gpu);

    // Probes the ADS1115 addresses (0x48-0x4B) on every bus; an answer with the reset config word is an ADS1115.
    private static List<I2cReport> I2cReports() => I2cProbe.List()
        .Select(bus => new I2cReport(bus.DevicePath, Describe(bus)))
        .ToList();

    private static string Describe(I2cBusProbe bus)
    {
        var found = bus.Addresses.Where(a => a.LooksLikeAds1115).Select(a => $"0x{a.Address:X2}").ToList();
        var answered = bus.Addresses.Where(a => a.Answered && !a.LooksLikeAds1115).Select(a => $"0x{a.Address:X2}").ToList();
        return found.Count > 0 ? $"ADS1115 at {string.Join(", ", found)}"
            : answered.Count > 0 ? $"no ADS1115; something answers at {string.Join(", ", answered)}"
            : "no ADS1115 at 0x48-0x4B";
    }
}

internal sealed record CameraReport(string Path, string Name, bool Csi);

internal sealed record CaptureReport(string Name, string Description);

internal sealed record I2cReport(string Device, string Ads1115);

/// <summary>The OpenCV that OpenCvSharpExtern links and the video backends it was built with.</summary>
internal sealed record OpenCvReport(string? Version, [property: JsonPropertyName("gstreamer")] bool GStreamer, bool V4l2, bool Ffmpeg, string? Error);

/// <summary>The ONNX Runtime in use: <c>Library</c> is a path or "packaged"; <c>Providers</c> as in the config (tensorrt, cuda, cpu).</summary>
internal sealed record OnnxRuntimeReport(string Library, string? Version, string ManagedVersion, IReadOnlyList<string> Providers, IReadOnlyList<string> Warnings, string? Error);

/// <summary>TensorRT's own version (libnvinfer) and the GPU's name; null where there is none.</summary>
internal sealed record AcceleratorReport(string? TensorRt, string? Gpu);

internal sealed record DevicesReport(
    IReadOnlyList<CameraReport> Cameras,
    bool CsiPresent,
    IReadOnlyList<CaptureReport> Microphones,
    IReadOnlyList<I2cReport> I2cBuses,
    [property: JsonPropertyName("opencv")] OpenCvReport OpenCv,
    OnnxRuntimeReport OnnxRuntime,
    AcceleratorReport Accelerator);
