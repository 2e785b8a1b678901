using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary><c>edgeemo replay</c> on the committed media: real video, speech, EDA.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-replay-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Out(string name) => Path.Combine(folder, name);

    private static List<JsonElement> Lines(string file) =>
        File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public async Task Face_video_and_speech_give_one_sane_line_per_clip()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.FaceVideo, "--audio", TestMedia.Speech, "--out", Out("a.jsonl"), "--providers", "cpu");

        Assert.True(code == ExitCodes.Ok, error);
        var lines = Lines(Out("a.jsonl"));
        Assert.Equal(11, lines.Count); // 12 s at 30 fps, a clip every 32 frames
        Assert.Equal(Enumerable.Range(0, 11), lines.Select(l => l.GetProperty("clip").GetInt32()));
        Assert.All(lines, l =>
        {
            Assert.Equal("ok", l.GetProperty("modalities").GetProperty("visual").GetProperty("state").GetString());
            Assert.InRange(l.GetProperty("scores").GetProperty("valence").GetDouble(), -1, 1);
            Assert.InRange(l.GetProperty("scores").GetProperty("arousal").GetDouble(), -1, 1);
            Assert.False(l.TryGetProperty("latencyMs", out _));
        });
        Assert.Contains("replay: 11 outputs", error, StringComparison.Ordinal);
        Assert.Contains("backbone runs 11 (+0 substitute) = 1.00 per output vs 16 for a naive sliding window", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_inputs_give_a_byte_identical_file()
    {
        string[] args = ["replay", "--pack", TestPaths.Pack("affect-tiny"), "--video", TestMedia.FaceVideo, "--audio", TestMedia.Speech, "--hop", "16"];
        await CliRunner.RunAsync([.. args, "--out", Out("1.jsonl")]);
        await CliRunner.RunAsync([.. args, "--out", Out("2.jsonl")]);

        Assert.Equal(File.ReadAllBytes(Out("1.jsonl")), File.ReadAllBytes(Out("2.jsonl")));
        Assert.Equal(22, File.ReadAllLines(Out("1.jsonl")).Length);
    }

    [Fact]
    public async Task Latency_is_written_only_when_asked()
    {
        await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"), "--video", TestMedia.FaceVideo, "--out", Out("l.jsonl"), "--latency");

        var latency = Lines(Out("l.jsonl"))[0].GetProperty("latencyMs");
        Assert.True(latency.GetProperty("visualBackbone").GetDouble() > 0);
        Assert.True(latency.GetProperty("total").GetDouble() > 0);
    }

    [Fact]
    public async Task A_video_without_a_face_gives_substituted_visual_states_not_a_crash()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.NoFaceVideo, "--audio", TestMedia.Speech, "--out", Out("n.jsonl"));

        Assert.True(code == ExitCodes.Ok, error);
        var lines = Lines(Out("n.jsonl"));
        Assert.NotEmpty(lines);
        Assert.All(lines, l =>
        {
            var visual = l.GetProperty("modalities").GetProperty("visual");
            Assert.Equal("substituted", visual.GetProperty("state").GetString());
            Assert.Contains(visual.GetProperty("reason").GetString(), new[] { "no face", "source ended" });
            Assert.Equal("degraded", l.GetProperty("status").GetString());
        });
    }

    [Fact]
    public async Task A_truncated_video_ends_its_modality_and_the_replay_goes_on()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.TruncatedVideo, "--audio", TestMedia.Speech, "--out", Out("t.jsonl"), "--missing", "substitute");

        Assert.True(code == ExitCodes.Ok, error);
        var visual = Lines(Out("t.jsonl")).Select(l => l.GetProperty("modalities").GetProperty("visual")).ToList();
        Assert.Equal("ok", visual[0].GetProperty("state").GetString());
        Assert.Equal("source ended", visual[^1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_corrupt_video_is_a_clear_error_and_leaves_no_output()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.CorruptVideo, "--out", Out("c.jsonl"));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("cannot be opened", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out("c.jsonl")));
    }

    [Fact]
    public async Task Pain_pack_with_video_and_eda()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("pain-tiny"),
            "--video", TestMedia.FaceVideo, "--eda", TestMedia.Eda, "--out", Out("p.jsonl"));

        Assert.True(code == ExitCodes.Ok, error);
        var lines = Lines(Out("p.jsonl"));
        Assert.Equal(18, lines.Count); // 12 s on the pack's 25 fps clock, a clip every 16 frames
        Assert.All(lines, l =>
        {
            Assert.Equal("ok", l.GetProperty("status").GetString());
            Assert.InRange(l.GetProperty("scores").GetProperty("pain_probability").GetDouble(), 0, 1);
            Assert.InRange(l.GetProperty("scores").GetProperty("pain_level").GetProperty("level").GetInt32(), 0, 4);
        });
    }

    [Fact]
    public async Task A_modality_the_pack_lacks_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.FaceVideo, "--eda", TestMedia.Eda, "--out", Out("x.jsonl"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("has no eda modality", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_input_at_all_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"), "--out", Out("x.jsonl"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("at least one of --video, --audio, --eda", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hop_that_breaks_the_fusion_spacing_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.FaceVideo, "--out", Out("x.jsonl"), "--hop", "12");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("must divide the pack's clip spacing", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pack_without_a_face_recipe_replays_exactly_as_one_that_names_the_haar_box_crop()
    {
        // Packs made before face recipes keep their crops: no face recipe is Haar with a box crop.
        using var none = new PackCopy("affect-tiny");
        using var haar = new PackCopy("affect-tiny");
        SetFace(none, null);
        SetFace(haar, new System.Text.Json.Nodes.JsonObject { ["detector"] = "haar", ["crop"] = "box", ["margin"] = 0.25 });
        string[] media = ["--video", TestMedia.FaceVideo, "--audio", TestMedia.Speech, "--providers", "cpu"];

        await CliRunner.RunAsync(["replay", "--pack", none.Directory, .. media, "--out", Out("none.jsonl")]);
        await CliRunner.RunAsync(["replay", "--pack", haar.Directory, .. media, "--out", Out("haar.jsonl")]);
        await CliRunner.RunAsync(["replay", "--pack", TestPaths.Pack("affect-tiny"), .. media, "--out", Out("aligned.jsonl")]);

        Assert.Equal(11, File.ReadAllLines(Out("none.jsonl")).Length);
        Assert.Equal(File.ReadAllBytes(Out("none.jsonl")), File.ReadAllBytes(Out("haar.jsonl")));
        Assert.NotEqual(Scores(Out("none.jsonl")), Scores(Out("aligned.jsonl")));
    }

    [Fact]
    public async Task A_face_models_folder_that_does_not_exist_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.FaceVideo, "--out", Out("x.jsonl"), "--face-models", Path.Combine(folder, "nowhere"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--face-models: '", error, StringComparison.Ordinal);
        Assert.Contains("is not a folder", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out("x.jsonl")));
    }

    [Fact]
    public async Task A_face_models_folder_without_the_detector_fails_naming_the_file()
    {
        var empty = Directory.CreateDirectory(Path.Combine(folder, "face")).FullName;

        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.FaceVideo, "--out", Out("x.jsonl"), "--face-models", empty);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("tiny_face_detector.onnx", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static List<string> Scores(string file) => [.. Lines(file).Select(l => l.GetProperty("scores").GetRawText())];

    private static void SetFace(PackCopy pack, System.Text.Json.Nodes.JsonObject? face)
    {
        var path = pack.PathOf("manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var video = manifest["modalities"]![0]!["video"]!.AsObject();
        video.Remove("face");
        if (face is not null)
        {
            video["face"] = face;
        }

        File.WriteAllText(path, manifest.ToJsonString());
    }
}
