using System.Text.Json;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Packs;

/// <summary>
/// models/export/flops.py (the FLOPs per clip in docs/performance.md) on the committed tiny
/// packs: its two independent counts (PyTorch hooks, ONNX graph) agree, its hand-computed
/// single-layer check holds, and a pack whose ONNX file is not the model its manifest describes
/// makes it fail rather than print a number.
/// </summary>
public sealed class ModelFlopsTests
{
    private static readonly string Script = PythonScript.Repo("models", "export", "flops.py");

    [Fact]
    public async Task Hook_and_onnx_counts_agree_on_the_tiny_packs()
    {
        var (code, stdout, stderr) = await PythonScript.RunAsync(Script, TestPaths.Pack("affect-tiny"), TestPaths.Pack("pain-tiny"), "--json");

        Assert.True(code == 0, $"flops.py failed ({code}):\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        var check = json.RootElement.GetProperty("self_check");
        Assert.True(check.GetProperty("ok").GetBoolean());
        Assert.Equal(708_083_712L, check.GetProperty("expected_macs").GetInt64());
        Assert.Equal(708_083_712L, check.GetProperty("onnx_macs").GetInt64());

        var packs = json.RootElement.GetProperty("packs").EnumerateArray().ToList();
        Assert.Equal(["affect-tiny", "pain-tiny"], packs.Select(p => p.GetProperty("pack").GetString()));
        foreach (var pack in packs)
        {
            var manifest = ModelPackLoader.Load(TestPaths.Pack(pack.GetProperty("pack").GetString()!)).Manifest;
            var models = pack.GetProperty("models").EnumerateArray().ToList();
            Assert.Equal(manifest.Streams.Select(s => s.Backbone.File).Append(manifest.Fusion!.File), models.Select(m => m.GetProperty("file").GetString()));
            foreach (var model in models)
            {
                var macs = model.GetProperty("macs").GetInt64();
                var onnxMacs = model.GetProperty("onnx_macs").GetInt64();
                Assert.True(macs > 0, $"{model.GetProperty("file")}: no MACs counted");
                Assert.True(Math.Abs(macs - onnxMacs) <= 0.01 * onnxMacs, $"{model.GetProperty("file")}: hooks {macs}, ONNX {onnxMacs}");
                Assert.Equal(2 * macs, model.GetProperty("flops").GetInt64());
            }

            // Streaming runs each backbone once per output; a naive sliding window runs it on every clip of the window.
            var window = manifest.Fusion.Window;
            var fusionMacs = models.Single(m => m.GetProperty("model").GetString() == "fusion").GetProperty("macs").GetInt64();
            var backboneMacs = models.Where(m => m.GetProperty("model").GetString() != "fusion").Sum(m => m.GetProperty("macs").GetInt64());
            Assert.Equal(backboneMacs + fusionMacs, pack.GetProperty("macs_per_output").GetInt64());
            Assert.Equal((window * backboneMacs) + fusionMacs, pack.GetProperty("naive_macs_per_output").GetInt64());
        }
    }

    [Fact]
    public async Task An_onnx_file_that_is_not_the_manifests_model_fails_the_cross_check()
    {
        using var pack = new PackCopy("pain-tiny");
        File.Copy(pack.PathOf("eda_backbone.onnx"), pack.PathOf("fusion.onnx"), overwrite: true);

        var (code, _, stderr) = await PythonScript.RunAsync(Script, pack.Directory);

        Assert.Equal(1, code);
        Assert.Contains("disagree", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_without_a_manifest_is_named()
    {
        var empty = Directory.CreateTempSubdirectory("edgeemo-flops-");
        try
        {
            var (code, _, stderr) = await PythonScript.RunAsync(Script, empty.FullName);

            Assert.Equal(2, code);
            Assert.Contains($"{empty.FullName}: no manifest.json", stderr, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_version_2_pack_is_refused_with_the_reason()
    {
        var (code, _, stderr) = await PythonScript.RunAsync(Script, TestPaths.ExamplePack("jmt_two_audio"));

        Assert.Equal(2, code);
        Assert.Contains("schema version 2 (exporter models/export/edgeemo_import.py): flops.py counts only the version 1 packs", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Traceback", stderr, StringComparison.Ordinal);
    }
}
