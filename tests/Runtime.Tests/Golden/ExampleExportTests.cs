using System.Text.Json.Nodes;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Tests;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeEmotion.Runtime.Tests.Golden;

/// <summary>
/// models/export/edgeemo_import.py, the Python side of the import path: its own unit tests (the
/// clear errors for the usual mistakes), and the four models/examples exports, which must
/// reproduce the committed example packs and whose golden vectors ONNX Runtime must reproduce
/// within the manifest's tolerance. The model files are run here directly from the manifest's
/// JSON, so this holds for the import folders (no <c>files</c> hashes yet) as for the packs.
/// </summary>
public sealed class ExampleExportTests : IDisposable
{
    private static readonly string[] Examples = ["jmt_two_audio", "jca_window8", "per_clip_visual", "affect_imagine"];

    private readonly string output = Directory.CreateTempSubdirectory("edgeemo-example-export-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    [Fact]
    public async Task The_import_function_passes_its_python_tests()
    {
        var (code, stdout, stderr) = await PythonScript.RunAsync("-m", "unittest", "discover", "-s", PythonScript.Repo("models", "export", "tests"), "-v");

        Assert.True(code == 0, $"python tests failed ({code}):\n{stdout}\n{stderr}");
        Assert.Contains("OK", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Example_exports_reproduce_the_committed_packs_and_onnx_runtime_reproduces_pytorch()
    {
        foreach (var name in Examples)
        {
            var fresh = Path.Combine(output, name);
            var (code, stdout, stderr) = await PythonScript.RunAsync(PythonScript.Repo("models", "examples", name, "export.py"), "--out", fresh);
            Assert.True(code == 0, $"{name}: export failed ({code}):\n{stdout}\n{stderr}");

            var committed = Path.Combine(TestPaths.RepoRoot, "models", "examples", "packs", name);
            var freshManifest = JsonNode.Parse(File.ReadAllText(Path.Combine(fresh, "manifest.json")))!.AsObject();
            var committedManifest = JsonNode.Parse(File.ReadAllText(Path.Combine(committed, "manifest.json")))!.AsObject();
            Assert.False(freshManifest.ContainsKey("files"), $"{name}: the import folder's manifest carries no hashes");
            committedManifest.Remove("files");
            Assert.True(JsonNode.DeepEquals(committedManifest, freshManifest),
                $"{name}: the export no longer writes the committed manifest: run `make examples` and commit");

            foreach (var file in Directory.EnumerateFiles(Path.Combine(fresh, "golden")))
            {
                var a = NpyArray.Read(file);
                var b = NpyArray.Read(Path.Combine(committed, "golden", Path.GetFileName(file)));
                Assert.Equal(b.Shape, a.Shape);
                var error = GoldenSelfTest.MaxAbsError(a.Data, b.Data);
                Assert.True(error <= 1e-5, $"{name}/{Path.GetFileName(file)} differs from the committed file by {error:E3}: run `make examples` and commit");
            }

            foreach (var (model, maxError, tolerance) in RunGoldenCases(fresh, freshManifest))
            {
                Assert.True(maxError <= tolerance, $"{name}/{model}: ONNX Runtime differs from PyTorch by {maxError:E3} (tolerance {tolerance})");
                Assert.True(maxError <= 1e-4, $"{name}/{model}: {maxError:E3} > 1e-4");
            }
        }
    }

    /// <summary>Every golden case on the CPU provider: (model, max abs error over its outputs, golden.tolerance).</summary>
    private static List<(string Model, double MaxError, double Tolerance)> RunGoldenCases(string folder, JsonObject manifest)
    {
        var files = ModelFiles(manifest);
        var tolerance = (double)manifest["golden"]!["tolerance"]!;
        var results = new List<(string, double, double)>();
        foreach (var c in manifest["golden"]!["cases"]!.AsArray())
        {
            var model = (string)c!["model"]!;
            using var session = new InferenceSession(Path.Combine(folder, files[model]));
            var inputs = c["inputs"]!.AsObject()
                .Select(p => NamedOnnxValue.CreateFromTensor(p.Key, Tensor(NpyArray.Read(Path.Combine(folder, (string)p.Value!)))))
                .ToList();
            using var got = session.Run(inputs);
            var worst = 0.0;
            foreach (var (name, rel) in c["outputs"]!.AsObject())
            {
                var want = NpyArray.Read(Path.Combine(folder, (string)rel!));
                var tensor = got.Single(r => r.Name == name).AsTensor<float>();
                Assert.Equal(want.Shape, tensor.Dimensions.ToArray().Select(d => (long)d));
                worst = Math.Max(worst, GoldenSelfTest.MaxAbsError(tensor.ToArray(), want.Data));
            }

            results.Add((model, worst, tolerance));
        }

        return results;
    }

    private static DenseTensor<float> Tensor(NpyArray array) => new(array.Data, array.Shape.Select(d => (int)d).ToArray());

    /// <summary>Golden case model name (stream, <c>imagine.&lt;stream&gt;</c>, <c>fusion</c>) to its ONNX file, from version 2 JSON.</summary>
    private static Dictionary<string, string> ModelFiles(JsonObject manifest)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stream in manifest["modalities"]!.AsArray().SelectMany(m => m!["streams"]!.AsArray()))
        {
            var name = (string)stream!["name"]!;
            files[name] = (string)stream["backbone"]!["file"]!;
            if (stream["imagination"] is { } imagination)
            {
                files["imagine." + name] = (string)imagination["file"]!;
            }
        }

        if (manifest["fusion"] is { } fusion)
        {
            files["fusion"] = (string)fusion["file"]!;
        }

        return files;
    }
}
