using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Golden;

/// <summary>
/// The committed tiny packs are what models/export produces today: the test re-exports them
/// with PyTorch into a temporary folder, runs the fresh pack's goldens through ONNX Runtime, and
/// compares the fresh PyTorch outputs with the committed ones. Bytes may differ on another CPU
/// (last-bit rounding in BatchNorm calibration), so values are compared, not hashes.
/// </summary>
public sealed class ExportReproducibilityTests : IDisposable
{
    private readonly string output = Path.Combine(Path.GetTempPath(), $"edgeemo-export-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Tiny_packs_reexport_to_the_committed_values()
    {
        var (code, stdout, stderr) = await PythonScript.RunAsync(PythonScript.Repo("models", "export", "export_packs.py"), "--out", output, "--sizes", "tiny");
        Assert.True(code == 0, $"export failed ({code}):\n{stdout}\n{stderr}");

        foreach (var id in new[] { "affect-tiny", "pain-tiny" })
        {
            var committed = ModelPackLoader.Load(TestPaths.Pack(id));
            var fresh = ModelPackLoader.Load(Path.Combine(output, id));
            Assert.Equal(committed.Manifest.Files.Keys.Order(), fresh.Manifest.Files.Keys.Order());
            Assert.Equal(committed.Manifest.Modalities, fresh.Manifest.Modalities, ModalityComparer);

            using (var sessions = CpuSessions.Open(fresh.Directory))
            {
                Assert.All(GoldenSelfTest.Run(sessions), r => Assert.True(r.Passed, $"fresh {id}/{r.Model}: {r.MaxAbsError:E3}"));
            }

            foreach (var file in committed.Manifest.Files.Keys.Where(f => f.EndsWith(".npy", StringComparison.Ordinal)))
            {
                var a = NpyArray.Read(committed.PathOf(file));
                var b = NpyArray.Read(fresh.PathOf(file));
                Assert.Equal(a.Shape, b.Shape);
                var error = GoldenSelfTest.MaxAbsError(a.Data, b.Data);
                Assert.True(error <= 1e-5, $"{id}/{file} differs from the committed file by {error:E3}: re-run `make models-tiny` and commit");
            }
        }
    }

    private static readonly IEqualityComparer<ModalitySpec> ModalityComparer = EqualityComparer<ModalitySpec>.Create(
        (a, b) => System.Text.Json.JsonSerializer.Serialize(a, PackManifestJsonContext.Default.ModalitySpec)
                  == System.Text.Json.JsonSerializer.Serialize(b, PackManifestJsonContext.Default.ModalitySpec));
}
