using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary><c>edgeemo faces</c> on the committed media, with annotation, and on bad inputs.</summary>
public sealed class FacesCommandTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string Models = TestPaths.FaceModels;

    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-faces-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Task<(int ExitCode, string Output, string Error)> Faces(params string[] args) =>
        CliRunner.RunAsync(["faces", .. args, "--models", Models, "--providers", "cpu", "--threads", "1"]);

    [Fact]
    public async Task Face_mp4_json_gives_one_line_per_frame_with_box_landmarks_and_pose_on_nearly_all()
    {
        var (code, output, error) = await Faces("--video", TestMedia.FaceVideo, "--json");

        Assert.True(code == ExitCodes.Ok, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(361, lines.Length);
        var frames = lines[..^1].Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, 360), frames.Select(f => f.GetProperty("frame").GetInt32()));
        var withFace = frames.Where(f => f.GetProperty("face").GetBoolean()).ToList();
        foreach (var f in withFace)
        {
            Assert.True(f.GetProperty("box").GetProperty("width").GetDouble() > 50);
            Assert.Equal(68, f.GetProperty("landmarks").GetArrayLength());
            Assert.Equal(2, f.GetProperty("landmarks")[0].GetArrayLength());
            Assert.True(double.IsFinite(f.GetProperty("pose").GetProperty("yaw").GetDouble()));
            Assert.True(f.GetProperty("quality").GetProperty("faceSize").GetDouble() > 50);
        }

        var summary = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("summary");
        log.WriteLine(summary.ToString());
        // face-api.js's detector finds the face on 326 of 360 frames; tracking holds the box over its short misses.
        Assert.True(withFace.Count >= 350, $"face on {withFace.Count} of 360 frames");
        Assert.True(summary.GetProperty("framesDetected").GetInt32() >= 320, summary.ToString());
        Assert.Equal(360, summary.GetProperty("frames").GetInt32());
        Assert.Equal(withFace.Count, summary.GetProperty("framesWithFace").GetInt32());
        Assert.False(summary.GetProperty("endedEarly").GetBoolean());
    }

    [Fact]
    public async Task Noface_mp4_gives_no_face_on_at_least_95_percent_of_frames_and_a_readable_table()
    {
        var (code, output, error) = await Faces("--video", TestMedia.NoFaceVideo);

        Assert.True(code == ExitCodes.Ok, error);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("frame ", rows[0], StringComparison.Ordinal);
        var noFace = rows.Count(r => r.TrimEnd().EndsWith("no face", StringComparison.Ordinal));
        Assert.True(noFace >= 0.95 * 50, $"no face on {noFace} of 50 frames:\n{output}");
        Assert.Contains(rows, r => r.StartsWith("50 frames, face on 0 ", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("mean ms: detect ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Expressions_mp4_json_has_the_real_face_on_at_least_95_percent_of_frames()
    {
        var (code, output, error) = await Faces("--video", TestMedia.ExpressionVideo, "--json");

        Assert.True(code == ExitCodes.Ok, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(481, lines.Length);
        var withFace = lines[..^1].Select(l => JsonDocument.Parse(l).RootElement).Where(f => f.GetProperty("face").GetBoolean()).ToList();
        var summary = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("summary");
        log.WriteLine(summary.ToString());
        // Measured: the face on 480 of 480 frames, its box 102-112 px wide.
        Assert.True(withFace.Count >= 0.95 * 480, $"face on {withFace.Count} of 480 frames");
        Assert.All(withFace, f => Assert.InRange(f.GetProperty("box").GetProperty("width").GetDouble(), 80, 140));
        Assert.Equal(480, summary.GetProperty("frames").GetInt32());
    }

    [Theory]
    [InlineData("annotated.mp4")]
    [InlineData("annotated.avi")]
    [InlineData("pngs")]
    public async Task Annotate_writes_frames_that_decode_back_with_the_landmarks_drawn(string target)
    {
        var path = Path.Combine(folder, target);

        var (code, output, error) = await Faces("--video", TestMedia.FaceVideo, "--json", "--annotate", path);

        Assert.True(code == ExitCodes.Ok, error);
        var first = JsonDocument.Parse(output.Split('\n')[0]).RootElement;
        var decoded = Decode(path);
        Assert.Equal(360, decoded.Count);
        using var frame0 = decoded[0];
        Assert.Equal(new Size(320, 240), frame0.Size());

        // The landmark dots are cyan (BGR 255, 255, 0); lossy codecs blur them, so count near-cyan pixels at the points.
        var cyan = 0;
        foreach (var point in first.GetProperty("landmarks").EnumerateArray())
        {
            var pixel = frame0.At<Vec3b>((int)Math.Round(point[1].GetDouble()), (int)Math.Round(point[0].GetDouble()));
            cyan += pixel.Item0 > 150 && pixel.Item1 > 150 && pixel.Item2 < 120 ? 1 : 0;
        }

        log.WriteLine($"{target}: {cyan} of 68 landmark pixels drawn cyan in frame 0");
        Assert.True(cyan >= 50, $"only {cyan} of 68 landmarks visible in the decoded frame");
        foreach (var m in decoded.Skip(1))
        {
            m.Dispose();
        }
    }

    [Fact]
    public async Task A_missing_video_is_a_usage_error_and_an_unreadable_one_a_failure_each_in_one_line()
    {
        var missing = await Faces("--video", Path.Combine(folder, "nowhere.mp4"));
        var corrupt = await Faces("--video", TestMedia.CorruptVideo);
        var folderGiven = await Faces("--video", folder);

        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Equal($"error: --video file {Path.Combine(folder, "nowhere.mp4")} does not exist", missing.Error.Trim());
        Assert.Equal(ExitCodes.Failed, corrupt.ExitCode);
        var line = Assert.Single(corrupt.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: video file {TestMedia.CorruptVideo}: cannot be opened", line, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, folderGiven.ExitCode);
        Assert.Contains("is a folder, not a file", folderGiven.Error, StringComparison.Ordinal);
        Assert.Empty(corrupt.Output);
    }

    [Theory]
    [InlineData("no-such-folder/out.mp4", "does not exist")]
    [InlineData("a-file/pngs", "cannot write PNGs there")]
    [InlineData("a-file", "is a file")]
    public async Task An_unwritable_annotate_target_is_a_usage_error_before_any_frame(string target, string problem)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "a-file"), "x");
        var path = Path.Combine(folder, target);

        var (code, output, error) = await Faces("--video", TestMedia.FaceVideo, "--annotate", path);

        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: --annotate {path}: ", line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
        Assert.DoesNotContain("frame ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_models_folder_without_the_models_names_the_missing_file()
    {
        var (code, _, error) = await CliRunner.RunAsync("faces", "--video", TestMedia.FaceVideo, "--models", folder, "--providers", "cpu");
        var (noFolder, _, noFolderError) = await CliRunner.RunAsync("faces", "--video", TestMedia.FaceVideo, "--models", Path.Combine(folder, "x"));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal($"error: {Path.Combine(folder, "tiny_face_detector.onnx")}: the face model file is missing (the agent ships it in models/face; make face-models writes it)", error.Trim());
        Assert.Equal(ExitCodes.Usage, noFolder);
        Assert.Equal($"error: --models folder {Path.Combine(folder, "x")} does not exist", noFolderError.Trim());
    }

    [Theory]
    [InlineData(new[] { "--camera", "/dev/video-none" }, "error: --camera /dev/video-none: no such device (edgeemo devices lists the cameras)")]
    [InlineData(new[] { "--camera", "webcam" }, "error: --camera webcam: not a camera: give csi, csi:N or a V4L2 device such as /dev/video0 (a file goes to --video)")]
    [InlineData(new[] { "--camera", "csi:x" }, "error: --camera csi:x: the CSI sensor index after 'csi:' must be a number 0-15")]
    [InlineData(new string[0], "error: give either --video FILE or --camera csi|csi:N|/dev/videoN")]
    [InlineData(new[] { "--camera", "csi", "--video", "x.mp4" }, "error: give either --video FILE or --camera csi|csi:N|/dev/videoN")]
    [InlineData(new[] { "--camera", "csi", "--frames", "0" }, "error: --frames must be a positive number of frames, not 0")]
    public async Task A_bad_camera_or_source_choice_is_a_usage_error_in_one_line(string[] args, string expected)
    {
        var (code, output, error) = await Faces(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(expected, error.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_truncated_video_gives_the_frames_it_has_and_says_it_ended_early()
    {
        var (code, output, error) = await Faces("--video", TestMedia.TruncatedVideo, "--json");

        Assert.True(code == ExitCodes.Ok, error);
        var summary = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.GetProperty("summary");
        Assert.True(summary.GetProperty("endedEarly").GetBoolean());
        Assert.InRange(summary.GetProperty("frames").GetInt32(), 1, 359);
    }

    [Fact]
    public async Task Frames_stops_after_that_many_frames()
    {
        var (code, output, error) = await Faces("--video", TestMedia.FaceVideo, "--json", "--frames", "5");

        Assert.True(code == ExitCodes.Ok, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Equal(5, JsonDocument.Parse(lines[^1]).RootElement.GetProperty("summary").GetProperty("frames").GetInt32());
    }

    private static List<Mat> Decode(string path)
    {
        var frames = new List<Mat>();
        if (Directory.Exists(path))
        {
            foreach (var png in Directory.GetFiles(path, "*.png").Order(StringComparer.Ordinal))
            {
                frames.Add(Cv2.ImRead(png));
            }

            return frames;
        }

        using var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        Assert.True(capture.IsOpened(), $"{path} does not decode");
        while (true)
        {
            var mat = new Mat();
            if (!capture.Read(mat) || mat.Empty())
            {
                mat.Dispose();
                return frames;
            }

            frames.Add(mat);
        }
    }
}
