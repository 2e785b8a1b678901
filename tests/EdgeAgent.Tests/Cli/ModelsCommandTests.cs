using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

public sealed class ModelsCommandTests
{
    [Theory]
    [InlineData("affect-tiny", new[] { "visual", "audio", "fusion" })]
    [InlineData("pain-tiny", new[] { "visual", "eda", "fusion" })]
    public async Task Verify_passes_a_good_pack_and_reports_each_model_as_json(string pack, string[] models)
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "verify", TestPaths.Pack(pack), "--json", "--providers", "cpu");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(pack, root.GetProperty("id").GetString());
        var reported = root.GetProperty("models").EnumerateArray().ToList();
        // The tiny packs find faces with the trained detector: its models are verified after the pack's.
        Assert.Equal([.. models, "face.detector", "face.landmarks"], reported.Select(m => m.GetProperty("model").GetString()));
        var faces = reported[^2..];
        Assert.Equal(["tiny_face_detector.onnx", "face_landmark_68.onnx"], faces.Select(m => m.GetProperty("file").GetString()));
        Assert.All(faces, m =>
        {
            Assert.Equal(2e-4, m.GetProperty("tolerance").GetDouble()); // models/face/golden/cases.json
            Assert.InRange(m.GetProperty("maxAbsError").GetDouble(), 0, 2e-4);
            Assert.True(m.GetProperty("passed").GetBoolean());
        });
        Assert.All(reported[..^2], m =>
        {
            Assert.Equal("cpu", m.GetProperty("provider").GetString());
            Assert.Equal("fp32", m.GetProperty("precision").GetString());
            Assert.Equal(1e-4, m.GetProperty("tolerance").GetDouble()); // golden.tolerance, not fp16Tolerance
            Assert.InRange(m.GetProperty("maxAbsError").GetDouble(), 0, 1e-4);
            Assert.True(m.GetProperty("passed").GetBoolean());
            Assert.Equal(JsonValueKind.Null, m.GetProperty("engine").ValueKind);
        });
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Verify_prints_provider_and_error_per_model_for_people()
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "verify", TestPaths.Pack("affect-tiny"));

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches(@"model\s+provider\s+precision\s+max abs error\s+tolerance\s+result", output);
        Assert.Matches(@"visual\s+cpu\s+fp32\s+\d\.\d{3}e[-+]\d{2}\s+1e-04\s+ok", output);
        Assert.Matches(@"fusion\s+cpu\s+fp32\s+", output);
        Assert.EndsWith("verify: ok" + Environment.NewLine, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_fails_a_tampered_pack_with_the_reason()
    {
        using var copy = new PackCopy("pain-tiny");
        var path = copy.PathOf("eda_backbone.onnx");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var (code, output, _) = await CliRunner.RunAsync("models", "verify", copy.Directory, "--json");

        Assert.Equal(ExitCodes.Failed, code);
        using var json = JsonDocument.Parse(output);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("HashMismatch", error.GetProperty("kind").GetString());
        Assert.Equal("eda_backbone.onnx", error.GetProperty("location").GetString());
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Verify_of_a_folder_that_is_not_a_pack_fails_clearly()
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "verify", TestPaths.RepoRoot);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("FAILED (ManifestUnreadable)", output, StringComparison.Ordinal);
        Assert.Contains("is this a model pack folder", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_precision_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("models", "verify", TestPaths.Pack("affect-tiny"), "--precision", "int8");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--precision: 'int8' is not a precision (fp16, fp32)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_provider_name_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("models", "verify", TestPaths.Pack("affect-tiny"), "--providers", "cpu,rocm");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--providers: 'rocm' is not an execution provider", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_the_committed_packs()
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "list", TestPaths.PacksDirectory, "--json");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var ids = json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Contains("affect-tiny", ids);
        Assert.Contains("pain-tiny", ids);
    }

    [Fact]
    public async Task List_flags_a_pack_with_a_broken_manifest()
    {
        var root = Path.Combine(Path.GetTempPath(), $"edgeemo-list-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "broken"));
        File.WriteAllText(Path.Combine(root, "broken", "manifest.json"), "{\"schemaVersion\": 1}");
        try
        {
            var (code, output, _) = await CliRunner.RunAsync("models", "list", root);

            Assert.Equal(ExitCodes.Failed, code);
            Assert.Contains("(invalid)", output, StringComparison.Ordinal);
            Assert.Contains("required field 'id' is missing", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task List_of_a_missing_folder_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("models", "list", "/nonexistent/packs");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }
}
