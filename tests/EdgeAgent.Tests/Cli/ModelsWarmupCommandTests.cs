using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.EdgeAgent.Tests.Ota;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>
/// <c>models warmup</c> on this machine's CPU provider: progress, report and exit codes. Engine
/// builds need TensorRT on a Jetson (docs/operations.md); the cache logic is unit-tested in Runtime.Tests.
/// </summary>
public sealed class ModelsWarmupCommandTests : IDisposable
{
    private readonly string cache = Path.Combine(Path.GetTempPath(), $"edgeemo-warmup-cli-{Guid.NewGuid():N}");

    [Fact]
    public async Task Warmup_reports_each_model_as_json_with_progress_on_stderr()
    {
        var (code, output, error) = await CliRunner.RunAsync("models", "warmup", TestPaths.Pack("affect-tiny"), "--json", "--providers", "cpu", "--cache-dir", cache);

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal("affect-tiny", root.GetProperty("id").GetString());
        Assert.Equal(Path.Combine(cache, "tensorrt"), root.GetProperty("cacheRoot").GetString());
        var models = root.GetProperty("models").EnumerateArray().ToList();
        // affect-tiny finds faces with the trained detector: the face models are warmed after the pack's.
        Assert.Equal(["visual", "audio", "fusion", "face.detector", "face.landmarks"], models.Select(m => m.GetProperty("model").GetString()));
        Assert.Equal([1, 2, 3, 4, 5], models.Select(m => m.GetProperty("index").GetInt32()));
        Assert.Equal("tiny_face_detector.onnx", models[3].GetProperty("file").GetString());
        Assert.All(models, m =>
        {
            Assert.Equal("cpu", m.GetProperty("provider").GetString());
            Assert.Equal("fp32", m.GetProperty("precision").GetString());
            Assert.Equal(JsonValueKind.Null, m.GetProperty("engine").ValueKind);
            Assert.Equal(JsonValueKind.Null, m.GetProperty("cacheFolder").ValueKind);
            Assert.True(m.GetProperty("seconds").GetDouble() > 0);
        });
        Assert.Empty(root.GetProperty("removed").EnumerateArray());
        Assert.Equal("tensorrt is not among the configured providers", root.GetProperty("cleanSkipped").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Contains("[1/5] visual (visual_backbone.onnx): opening", error, StringComparison.Ordinal);
        Assert.Matches(@"\[3/5\] fusion: cpu fp32, \d+\.\d s", error);
        Assert.Matches(@"\[5/5\] face.landmarks: cpu fp32, \d+\.\d s", error);
    }

    [Fact]
    public async Task Warmup_prints_progress_and_a_summary_for_people()
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "warmup", TestPaths.Pack("pain-tiny"), "--providers", "cpu", "--cache-dir", cache);

        Assert.Equal(ExitCodes.Ok, code);
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("[1/5] visual (visual_backbone.onnx): opening", lines[0]);
        Assert.Matches(@"^\[1/5\] visual: cpu fp32, \d+\.\d s$", lines[1]);
        Assert.Equal("[2/5] eda (eda_backbone.onnx): opening", lines[2]);
        Assert.Equal("[4/5] face.detector (tiny_face_detector.onnx): opening", lines[6]);
        Assert.Contains($"cache {Path.Combine(cache, "tensorrt")}: not cleaned (tensorrt is not among the configured providers)", output, StringComparison.Ordinal);
        Assert.Matches(@"warmup: ok \(pain-tiny 1\.0\.0, 5 models, \d+\.\d s\)", lines[^1]);
    }

    [Fact]
    public async Task Without_tensorrt_in_this_build_the_device_engines_are_left_alone()
    {
        // Asked for TensorRT on a CPU build (the NuGet library, --ort-library forgotten): the
        // models run on the CPU and a cache folder of another stack stays, since nothing here can
        // tell which TensorRT the device has.
        var other = Directory.CreateDirectory(Path.Combine(cache, "tensorrt",
            new EngineCacheKey(new string('a', 64), "1.31.1", "10.3.0", "NVIDIA Jetson Orin Nano", "fp16", "clip:1x3x8x112x112").FolderName)).FullName;

        var (code, output, _) = await CliRunner.RunAsync("models", "warmup", TestPaths.Pack("affect-tiny"), "--json", "--providers", "tensorrt,cpu", "--cache-dir", cache);

        Assert.Equal(ExitCodes.Ok, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.All(root.GetProperty("models").EnumerateArray(), m => Assert.Equal("cpu", m.GetProperty("provider").GetString()));
        Assert.Equal("this ONNX Runtime build has no TensorRT provider", root.GetProperty("cleanSkipped").GetString());
        Assert.True(Directory.Exists(other));
    }

    [Fact]
    public async Task A_tampered_pack_fails_the_warmup_with_the_reason()
    {
        using var copy = new PackCopy("affect-tiny");
        var model = copy.PathOf("fusion.onnx");
        var bytes = File.ReadAllBytes(model);
        bytes[bytes.Length / 3] ^= 0x5A;
        File.WriteAllBytes(model, bytes);

        var (code, output, _) = await CliRunner.RunAsync("models", "warmup", copy.Directory, "--json", "--providers", "cpu", "--cache-dir", cache);

        Assert.Equal(ExitCodes.Failed, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal("HashMismatch", root.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal("fusion.onnx", root.GetProperty("error").GetProperty("location").GetString());
        Assert.Empty(root.GetProperty("models").EnumerateArray());
    }

    [Fact]
    public async Task A_provider_chain_that_cannot_run_the_models_fails_clearly()
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "warmup", TestPaths.Pack("affect-tiny"), "--providers", "tensorrt,cuda", "--cache-dir", cache);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("warmup of affect-tiny: FAILED (ExecutionProvider)", output, StringComparison.Ordinal);
        Assert.Contains("tensorrt: not in this ONNX Runtime build", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_are_usage_errors()
    {
        var (code, _, error) = await CliRunner.RunAsync("models", "warmup", TestPaths.Pack("affect-tiny"), "--providers", "cpu,npu");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--providers: 'npu' is not an execution provider", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_face_models_folder_without_the_models_fails_the_warmup_and_a_missing_one_is_a_usage_error()
    {
        var empty = Directory.CreateDirectory(Path.Combine(cache, "face-models")).FullName;

        var (code, output, _) = await CliRunner.RunAsync("models", "warmup", TestPaths.Pack("affect-tiny"), "--face-models", empty, "--providers", "cpu", "--cache-dir", cache);
        var (usage, _, error) = await CliRunner.RunAsync("models", "warmup", TestPaths.Pack("affect-tiny"), "--face-models", Path.Combine(empty, "absent"), "--providers", "cpu");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains($"warmup of affect-tiny: FAILED (MissingFile): {Path.Combine(empty, "tiny_face_detector.onnx")}: the face model file is missing", output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, usage);
        Assert.Equal($"error: --face-models: '{Path.Combine(empty, "absent")}' is not a folder", error.Trim());
    }

    [Fact]
    public async Task With_a_state_dir_the_installed_packs_are_read_for_the_clean()
    {
        using var ws = new OtaWorkspace();
        await ws.InstallOkAsync("1.0.0");
        await ws.InstallOkAsync("1.1.0");

        var linked = ws.Store.LinkedManifests();

        Assert.NotNull(linked);
        Assert.Equal(["1.1.0", "1.0.0"], linked.Select(m => m.Version));
        var (code, _, _) = await CliRunner.RunAsync("models", "warmup", ws.Store.ActivePath, "--state-dir", ws.State, "--providers", "cpu", "--cache-dir", cache);
        Assert.Equal(ExitCodes.Ok, code);

        File.WriteAllText(Path.Combine(ws.Store.Resolve(EdgeEmotion.EdgeAgent.Ota.PackStore.PreviousLink)!, "manifest.json"), "{ not json");
        Assert.Null(ws.Store.LinkedManifests()); // an unreadable pack: assume nothing about its models
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(cache, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }
}
