using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeEmotion.Sensors.Replay;
using EdgeEmotion.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>
/// <c>edgeemo replay --pack models/packs/expression --video tests/media/face.mp4</c> (a still
/// photo moving) and <c>expressions.mp4</c> (a real man changing expression) against face-api.js itself (models/faceapi/reference.cjs: @vladmandic/face-api 1.7.15, TF.js CPU) on
/// the frames the replay's clips used: one face image per clip, so the clip's last frame, the one
/// before its clip end. Where both found the face, the published probabilities are face-api's
/// within 1e-3.
/// </summary>
public sealed class ExpressionReplayReferenceTests(ITestOutputHelper output) : IDisposable
{
    private const double MaxExpressionError = 1e-3;
    private readonly string work = Directory.CreateTempSubdirectory("edgeemo-expression-").FullName;

    /// <summary>
    /// Each video, its clips (a score every 8 frames), every how many clips face-api.js checks (it
    /// takes about 2 s a frame on TF.js's CPU backend here), the fewest checked clips on which both
    /// must find the face, and the top classes those must include.
    /// </summary>
    public static TheoryData<string, int, int, int, string[]> Videos => new()
    {
        { "face.mp4", 45, 1, 35, [] },
        // Every 5th clip: 12 frames, 3 of them surprised; measured: both find the face on all 12.
        { "expressions.mp4", 60, 5, 11, ["neutral", "surprised"] },
    };

    [Theory]
    [MemberData(nameof(Videos))]
    public async Task Replay_of_the_expression_pack_gives_face_api_js_s_probabilities_on_the_frames_its_clips_used(
        string name, int clips, int every, int minCompared, string[] mustSee)
    {
        var video = Path.Combine(TestMedia.Directory, name);
        var scores = Path.Combine(work, "expression.jsonl");
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("expression"),
            "--video", video, "--out", scores, "--providers", "cpu");
        Assert.True(code == 0, error);
        var all = File.ReadAllLines(scores).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(clips, all.Count);
        var lines = all.Where((_, i) => i % every == 0).ToList();

        // The frame each clip used: clipFrames 1 at the video's own 30 fps, so the last frame before the clip end.
        var frameOf = lines.ToDictionary(l => l.GetProperty("clip").GetInt64(), l => (int)Math.Round(l.GetProperty("clipEnd").GetDouble() * 30) - 1);
        var frames = await WriteFramesAsync(video, frameOf.Values.ToHashSet());
        var reference = (await RunReferenceAsync(frames)).GetProperty("frames").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("faces").EnumerateArray().ToArray());

        int compared = 0, bothMissed = 0, onlyReplay = 0, onlyFaceApi = 0;
        var worst = 0.0;
        var classesSeen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var frame = frameOf[line.GetProperty("clip").GetInt64()];
            var faces = reference[Name(frame)];
            var ours = line.GetProperty("modalities").GetProperty("visual").GetProperty("state").GetString() == "ok";
            if (!ours || faces.Length == 0)
            {
                (bothMissed, onlyReplay, onlyFaceApi) = (!ours && faces.Length == 0 ? bothMissed + 1 : bothMissed,
                    ours ? onlyReplay + 1 : onlyReplay, !ours && faces.Length > 0 ? onlyFaceApi + 1 : onlyFaceApi);
                continue;
            }

            // One person in the video: the largest face is the one the pipeline tracks.
            var face = faces.MaxBy(f => f.GetProperty("box").GetProperty("width").GetDouble() * f.GetProperty("box").GetProperty("height").GetDouble());
            var expected = face.GetProperty("expressions").EnumerateArray().Select(p => p.GetDouble()).ToArray();
            var score = line.GetProperty("scores").GetProperty("expression");
            var actual = score.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToArray();
            var error1 = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(error1 <= MaxExpressionError, $"frame {frame} (clip end {line.GetProperty("clipEnd").GetDouble():F3} s): probabilities [{string.Join(", ", actual)}] vs face-api.js [{string.Join(", ", expected.Select(e => e.ToString("F6", CultureInfo.InvariantCulture)))}]");
            Assert.Equal(Array.IndexOf(expected, expected.Max()), score.GetProperty("level").GetInt32());
            classesSeen.Add(score.GetProperty("label").GetString()!);
            worst = Math.Max(worst, error1);
            compared++;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"figures: expression pack replay vs face-api.js on {name}: {lines.Count} of {all.Count} clips; {compared} frames where both found the face, max |error| {worst:E2}; face only in the replay {onlyReplay}, only in face-api.js {onlyFaceApi}, in neither {bothMissed}; expressions seen: {string.Join(", ", classesSeen)}"));
        Assert.Subset(classesSeen, mustSee.ToHashSet());
        Assert.True(compared >= minCompared, $"only {compared} of {lines.Count} frames had the face in both");
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static string Name(int frame) => string.Create(CultureInfo.InvariantCulture, $"frame_{frame:D4}");

    // The frames as the replay decodes them (VideoFileSource: OpenCV, BGR), written as uint8 RGB .npy.
    private async Task<string[]> WriteFramesAsync(string video, HashSet<int> wanted)
    {
        var written = new List<string>();
        await using var source = new VideoFileSource(video);
        var index = 0;
        await foreach (var frame in source.ReadAsync(CancellationToken.None))
        {
            using (frame)
            {
                if (wanted.Contains(index))
                {
                    written.Add(WriteRgbNpy(frame.Image, Path.Combine(work, Name(index) + ".npy")));
                }
            }

            index++;
        }

        Assert.Equal(wanted.Count, written.Count);
        return [.. written];
    }

    private static string WriteRgbNpy(Mat bgr, string path)
    {
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        int rows = rgb.Rows, cols = rgb.Cols;
        var header = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '|u1', 'fortran_order': False, 'shape': ({rows}, {cols}, 3), }}").PadRight(117) + "\n";
        using var file = File.Create(path);
        file.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
        file.Write(Encoding.Latin1.GetBytes(header));
        var row = new byte[cols * 3];
        for (var y = 0; y < rows; y++)
        {
            System.Runtime.InteropServices.Marshal.Copy(rgb.Ptr(y), row, 0, row.Length);
            file.Write(row);
        }

        return path;
    }

    private async Task<JsonElement> RunReferenceAsync(string[] frames)
    {
        var script = Path.Combine(TestPaths.RepoRoot, "models", "faceapi", "reference.cjs");
        var package = Path.Combine(TestPaths.RepoRoot, "models", "faceapi", "node_modules", "@vladmandic", "face-api", "package.json");
        Assert.True(File.Exists(package), "models/faceapi/node_modules is missing: run `make setup` (scripts/setup-faceapi.sh installs @vladmandic/face-api with npm ci)");
        ToolResult result;
        try
        {
            result = await ToolRun.RunAsync("node", [script, "--out", Path.Combine(work, "reference"), "--input-size", "320", .. frames], ToolRun.DefaultLimit);
        }
        catch (Win32Exception)
        {
            Assert.Fail("node is not on PATH: the face-api.js reference comparison needs Node.js (Debian: apt-get install nodejs npm) and `make setup`");
            throw;
        }

        Assert.True(result.ExitCode == 0, $"the face-api.js reference failed: {result}");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(work, "reference", "results.json")));
        return document.RootElement.Clone();
    }
}
