using System.Runtime.InteropServices;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Sensors.Camera;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>
/// `edgeemo devices` on a machine without sensors or GPU (like this one) says so and exits 0, and
/// reports the ONNX Runtime library with its providers; a bad `--ort-library` is refused with the
/// reason, before anything is bound (so these tests leave the packaged library in place).
/// </summary>
public sealed class DevicesCommandTests
{
    [Fact]
    public async Task Lists_each_kind_of_device_or_says_there_is_none()
    {
        var (code, output, error) = await CliRunner.RunAsync("devices");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Matches("(?m)^cameras: ", output);
        Assert.Matches("(?m)^microphones: ", output);
        Assert.Matches("(?m)^i2c: ", output);
        Assert.Matches("(?m)^opencv: ", output);
        Assert.Matches("(?m)^tensorrt: ", output);
        Assert.Matches("(?m)^gpu: ", output);
    }

    [Fact]
    public async Task Reports_the_onnx_runtime_library_and_its_providers()
    {
        var (code, output, _) = await CliRunner.RunAsync("devices");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"onnx runtime: {OnnxRuntimeLibrary.Version} (packaged; managed package {OnnxRuntimeLibrary.ManagedVersion})", output, StringComparison.Ordinal);
        // Every ONNX Runtime build has the CPU provider; it is shown by its config name.
        Assert.Matches("(?m)^  providers: (.+, )?cpu(, .+)?$", output);
    }

    [Fact]
    public async Task Reports_the_opencv_behind_opencvsharpextern_and_its_video_backends()
    {
        var (_, output, _) = await CliRunner.RunAsync("devices");

        var build = OpenCvBuild.Detect();
        static string YesNo(bool value) => value ? "yes" : "no";
        Assert.Contains(
            $"opencv: {OpenCvSharp.Cv2.GetVersionString()} (GStreamer {YesNo(build.HasGStreamer)}, V4L2 {YesNo(build.HasV4l2)}, FFMPEG {YesNo(build.HasFfmpeg)})",
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_has_every_section()
    {
        var (code, output, _) = await CliRunner.RunAsync("devices", "--json");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        foreach (var section in new[] { "cameras", "microphones", "i2cBuses" })
        {
            Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty(section).ValueKind);
        }

        var opencv = json.RootElement.GetProperty("opencv");
        Assert.Equal(OpenCvSharp.Cv2.GetVersionString(), opencv.GetProperty("version").GetString());
        Assert.Equal(OpenCvBuild.Detect().HasGStreamer, opencv.GetProperty("gstreamer").GetBoolean());
        Assert.Equal(JsonValueKind.Null, opencv.GetProperty("error").ValueKind);

        var ort = json.RootElement.GetProperty("onnxRuntime");
        Assert.Equal("packaged", ort.GetProperty("library").GetString());
        Assert.Equal(OnnxRuntimeLibrary.Version, ort.GetProperty("version").GetString());
        Assert.Equal(OnnxRuntimeLibrary.ManagedVersion, ort.GetProperty("managedVersion").GetString());
        Assert.Contains("cpu", ort.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
        Assert.Empty(ort.GetProperty("warnings").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, ort.GetProperty("error").ValueKind);

        var accelerator = json.RootElement.GetProperty("accelerator");
        var probe = AcceleratorInfo.Probe();
        Assert.Equal(probe.Gpu == AcceleratorInfo.None.Gpu ? null : probe.Gpu, accelerator.GetProperty("gpu").GetString());
        Assert.Equal(probe.TensorRtVersion == AcceleratorInfo.None.TensorRtVersion ? null : probe.TensorRtVersion, accelerator.GetProperty("tensorRt").GetString());
    }

    [Fact]
    public async Task A_missing_ort_library_is_named()
    {
        var (code, _, error) = await CliRunner.RunAsync("devices", "--ort-library", "/nonexistent/libonnxruntime.so");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("native ONNX Runtime library not found at /nonexistent/libonnxruntime.so", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_library_is_refused_with_the_loaders_reason()
    {
        var (code, _, error) = await CliRunner.RunAsync("devices", "--ort-library", EdgeEmotion.Tests.TestMedia.Eda);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("cannot be loaded", error, StringComparison.Ordinal);
        Assert.Contains("invalid ELF header", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_library_for_the_other_cpu_is_refused_as_such()
    {
        // The package ships both Linux architectures; take the one this process cannot load.
        var path = PackagedLibrary(thisCpu: false, "libonnxruntime.so");

        var (code, _, error) = await CliRunner.RunAsync("devices", "--ort-library", path);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("built for another CPU architecture", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_library_that_is_not_onnx_runtime_is_refused()
    {
        // An ELF library of this architecture without ONNX Runtime's C API entry point.
        var path = PackagedLibrary(thisCpu: true, "libonnxruntime_providers_shared.so");

        var (code, _, error) = await CliRunner.RunAsync("devices", "--ort-library", path);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("is not an ONNX Runtime library (it has no OrtGetApiBase)", error, StringComparison.Ordinal);
    }

    // A native library the ONNX Runtime package copies into the test output, for this CPU or the other one.
    private static string PackagedLibrary(bool thisCpu, string file)
    {
        var arm64 = (RuntimeInformation.ProcessArchitecture == Architecture.Arm64) == thisCpu;
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", arm64 ? "linux-arm64" : "linux-x64", "native", file);
        Assert.True(File.Exists(path), $"{path} is not in the test output");
        return path;
    }
}
