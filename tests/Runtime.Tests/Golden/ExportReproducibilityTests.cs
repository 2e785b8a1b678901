using System.Diagnostics;
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
    private const string Python = "/usr/bin/python3";
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
        Assert.True(File.Exists(Python), $"{Python} is missing: run scripts/setup.sh (python3-torch and friends)");
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { Path.Combine(TestPaths.RepoRoot, "models", "export", "export_packs.py"), "--out", output, "--sizes", "tiny" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"export failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");

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
