using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>The face-stage section of <c>edgeemo bench</c>: its plumbing, never its timings.</summary>
public sealed class BenchFaceStageTests
{
    private static readonly string FaceModels = TestPaths.FaceModels;

    [Theory]
    [InlineData(32)]
    [InlineData(16)]
    public async Task Both_front_ends_are_measured_on_the_frames_the_clips_use(int hop)
    {
        var pack = TestPaths.Pack("affect-tiny");
        var (code, output, error) = await CliRunner.RunAsync(
            "bench", "--pack", pack, "-n", "1", "--warmup", "0", "--hop", hop.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seconds", "2", "--warmup-seconds", "1", "--json", "--providers", "cpu", "--face-models", FaceModels);

        Assert.True(code == ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(output);
        var streaming = json.RootElement.GetProperty("streaming");
        var face = json.RootElement.GetProperty("face_stage");
        Assert.Equal(JsonValueKind.Null, face.GetProperty("face_models_problem").ValueKind);
        Assert.Equal(hop, face.GetProperty("hop_frames").GetInt32());
        Assert.Equal(streaming.GetProperty("outputs").GetInt32(), face.GetProperty("outputs").GetInt32());
        Assert.Equal(streaming.GetProperty("warmup_outputs").GetInt32(), face.GetProperty("warmup_outputs").GetInt32());

        // The clip sampling decides the frames: with every 4th of 32 frames in a clip, 8 new frames per clip spacing.
        var used = UsedFramesPerOutput(ModelPackLoader.Load(pack).Manifest, hop, face.GetProperty("warmup_outputs").GetInt32());
        Assert.Equal(hop / 4, used);
        Assert.Equal(used, face.GetProperty("used_frames_per_output").GetDouble());
        Assert.Equal(used, streaming.GetProperty("face_detections_per_output").GetDouble());

        var frontEnds = face.GetProperty("front_ends").EnumerateArray().ToList();
        Assert.Equal(["haar", "tiny_face_detector", "tiny_face_detector_every_2"], frontEnds.Select(f => f.GetProperty("name").GetString()));
        Assert.All(frontEnds, f =>
        {
            Assert.Equal(used, f.GetProperty("frames_per_output").GetDouble());
            Assert.Equal(100, f.GetProperty("face_found_percent").GetDouble());
            Assert.True(f.GetProperty("stages").GetProperty("detect").GetProperty("median_ms").GetDouble() > 0);
            Assert.True(f.GetProperty("stages").GetProperty("total").GetProperty("median_ms").GetDouble() > 0);
            Assert.True(f.GetProperty("derived_real_time_factor").GetDouble() > 0);
        });
        Assert.Equal(used, frontEnds[0].GetProperty("detections_per_output").GetDouble());
        Assert.Equal(used, frontEnds[1].GetProperty("detections_per_output").GetDouble());
        Assert.Equal(used / 2.0, frontEnds[2].GetProperty("detections_per_output").GetDouble());
        Assert.All(frontEnds.Skip(1), f =>
        {
            Assert.True(f.GetProperty("stages").GetProperty("landmarks").GetProperty("median_ms").GetDouble() > 0);
            Assert.True(f.GetProperty("stages").GetProperty("align").GetProperty("median_ms").GetDouble() > 0);
        });

        var tracking = face.GetProperty("tracking");
        Assert.Equal(2, tracking.GetProperty("detect_every").GetInt32());
        Assert.Equal(used / 2 * face.GetProperty("outputs").GetInt32(), tracking.GetProperty("held_frames").GetInt32());
        Assert.InRange(tracking.GetProperty("iou_median").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task A_face_model_folder_that_does_not_exist_is_a_usage_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-face-models-{Guid.NewGuid():N}");
        var (code, _, error) = await CliRunner.RunAsync(
            "bench", "--pack", TestPaths.Pack("affect-tiny"), "-n", "1", "--warmup", "0", "--seconds", "1", "--warmup-seconds", "0",
            "--json", "--providers", "cpu", "--face-models", missing);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--face-models: '{missing}' is not a folder", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_face_model_folder_without_the_models_is_reported_and_Haar_is_measured_alone()
    {
        // A pack without a face recipe (the Haar cascade) streams without the face models; the
        // face-stage section then says why the TinyFaceDetector was not measured.
        var empty = Directory.CreateTempSubdirectory("empty-face-models-").FullName;
        try
        {
            var pack = TestPaths.ExamplePack("jca_window8");
            var (code, output, error) = await CliRunner.RunAsync(
                "bench", "--pack", pack, "-n", "1", "--warmup", "0", "--seconds", "1", "--warmup-seconds", "0",
                "--json", "--providers", "cpu", "--face-models", empty);

            Assert.True(code == ExitCodes.Ok, error);
            using var json = JsonDocument.Parse(output);
            var face = json.RootElement.GetProperty("face_stage");
            Assert.Contains(empty, face.GetProperty("face_models_problem").GetString(), StringComparison.Ordinal);
            Assert.Equal(["haar"], face.GetProperty("front_ends").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
            Assert.Equal(JsonValueKind.Null, face.GetProperty("tracking").ValueKind);

            (code, output, error) = await CliRunner.RunAsync(
                "bench", "--pack", pack, "-n", "1", "--warmup", "0", "--seconds", "1", "--warmup-seconds", "0",
                "--providers", "cpu", "--face-models", empty);
            Assert.True(code == ExitCodes.Ok, error);
            Assert.Contains("TinyFaceDetector not measured", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task The_text_report_puts_the_front_ends_side_by_side_and_a_video_replaces_the_generated_frames()
    {
        var (code, output, error) = await CliRunner.RunAsync(
            "bench", "--pack", TestPaths.Pack("affect-tiny"), "-n", "1", "--warmup", "0", "--hop", "32", "--seconds", "2", "--warmup-seconds", "0",
            "--providers", "cpu", "--face-models", FaceModels, "--face-detect-every", "3", "--face-video", TestMedia.FaceVideo);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains($"face stage on the frames the clips use ({TestMedia.FaceVideo})", output, StringComparison.Ordinal);
        foreach (var name in new[] { "haar", "tiny_face_detector", "tiny_face_detector_every_3" })
        {
            Assert.Contains($"\n  {name} ", output, StringComparison.Ordinal);
        }

        Assert.Contains("tracking, detect on every 3 used frames", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--face-detect-every", "0", "--face-detect-every must be >= 1")]
    [InlineData("--face-video", "/nonexistent/face.mp4", "--face-video file /nonexistent/face.mp4 does not exist")]
    [InlineData("--face-video", "/", "--face-video / is a folder, not a file")]
    public async Task Bad_face_options_are_usage_errors(string option, string value, string message)
    {
        var (code, _, error) = await CliRunner.RunAsync("bench", "--pack", TestPaths.Pack("affect-tiny"), option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    // Slots of one steady output's range that some clip picks, from the pack's clip schedule.
    private static int UsedFramesPerOutput(PackManifest manifest, int hop, int output)
    {
        var clock = PackSources.FrameClock(manifest);
        var schedule = new ClipSchedule(clock.FrameRate, hop, clock.ClipFrames, clock.Dilation);
        var used = 0;
        for (var slot = schedule.EndSlot(output - 1) + 1; slot <= schedule.EndSlot(output); slot++)
        {
            used += schedule.IsUsed(slot) ? 1 : 0;
        }

        return used;
    }
}
