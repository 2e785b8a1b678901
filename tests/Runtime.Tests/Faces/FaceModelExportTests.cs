using System.Text.Json;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Faces;

/// <summary>
/// `make face-models` reproduces the committed face models: the test re-exports them from the
/// npm package into a temporary folder and runs the committed golden cases through the fresh
/// ONNX files. Frames decoded from the committed H.264 media must come out bit-identical (H.264
/// decoding is exact); the opencv-doc stills go through ffmpeg's scaler, which may round
/// differently in another release, so they are not compared.
/// </summary>
public sealed class FaceModelExportTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("edgeemo-face-export-").FullName;

    [Fact]
    public async Task The_face_models_reexport_from_the_npm_package_to_the_committed_goldens()
    {
        Assert.True(
            File.Exists(Path.Combine(TestPaths.RepoRoot, "models", "faceapi", "node_modules", "@vladmandic", "face-api", "package.json")),
            "models/faceapi/node_modules is missing: run `make setup` (scripts/setup-faceapi.sh installs @vladmandic/face-api with npm ci)");
        // The two portraits from Debian packages this machine need not have are taken from the
        // committed frames (stills are not compared below anyway), so the test needs no network.
        var (code, stdout, stderr) = await PythonScript.RunAsync(PythonScript.Repo("models", "faceapi", "export_face.py"), "--out", output,
            "--reuse-stills", Path.Combine(FaceNetSessions.Folder, "golden", "frames"));
        Assert.True(code == 0, $"export failed ({code}):\n{stdout}\n{stderr}");

        foreach (var frame in new[] { "face_000", "face_180", "face_359", "noface_000" })
        {
            var relative = Path.Combine("golden", "frames", frame + ".npy");
            Assert.True(
                File.ReadAllBytes(Path.Combine(FaceNetSessions.Folder, relative)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, relative))),
                $"{relative} differs from the committed frame: re-run `make face-models` and commit");
        }

        using var fresh = new FaceNetSessions(output);
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(FaceNetSessions.Folder, "golden", "cases.json")));
        var tolerance = cases.RootElement.GetProperty("tolerance").GetDouble();
        foreach (var c in cases.RootElement.GetProperty("cases").EnumerateArray())
        {
            var session = fresh.ByFile(c.GetProperty("model").GetString()!);
            var outputFile = c.GetProperty("outputs").EnumerateObject().Single().Value.GetString()!;
            NpyArray.Read(Path.Combine(FaceNetSessions.Folder, c.GetProperty("inputs").EnumerateObject().Single().Value.GetString()!)).Data.CopyTo(session.Input(0));
            session.Run();
            var error = FaceModelGoldenTests.MaxAbsError(session.Output(0), NpyArray.Read(Path.Combine(FaceNetSessions.Folder, outputFile)).Data);
            Assert.True(error <= tolerance, $"the fresh {session.Spec.File} differs from the committed {outputFile} by {error:E2}: re-run `make face-models` and commit");
        }
    }

    public void Dispose() => Directory.Delete(output, recursive: true);
}
