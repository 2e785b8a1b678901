using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.EdgeAgent.Tests.Cli;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Examples;

/// <summary>
/// The four foreign example models of models/examples, deployed by manifest alone (schema version
/// 2) through models/export/edgeemo_import.py and <c>edgeemo models import</c> (<c>make examples</c>):
/// each verifies against its PyTorch goldens, and <c>replay</c> of the committed media scores with it.
/// </summary>
public sealed class ExamplePacksTests : IDisposable
{
    private const int FaceVideoFrames = 360; // tests/media/face.mp4: 12 s at 30 fps

    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-examples-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly string[] Names = ["jmt_two_audio", "jca_window8", "per_clip_visual", "affect_imagine"];

    public static TheoryData<string> Examples => [.. Names];

    private string Out(string name) => Path.Combine(folder, name);

    private static List<JsonElement> Lines(string file) =>
        File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Each_example_verifies_against_pytorch_within_1e_4(string name)
    {
        var (code, output, error) = await CliRunner.RunAsync("models", "verify", TestPaths.ExamplePack(name), "--json", "--providers", "cpu");

        Assert.True(code == ExitCodes.Ok, output + error);
        using var json = JsonDocument.Parse(output);
        var manifest = ModelPackLoader.Load(TestPaths.ExamplePack(name)).Manifest;
        var expected = manifest.Streams.Select(s => s.Name)
            .Concat(manifest.Streams.Where(s => s.Spec.Imagination is not null).Select(s => PackModelNames.Imagination(s.Name)))
            .Concat(manifest.Fusion is null ? [] : [PackModelNames.Fusion])
            .Order(StringComparer.Ordinal);
        var models = json.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(expected, models.Select(m => m.GetProperty("model").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(models, m =>
        {
            Assert.True(m.GetProperty("passed").GetBoolean(), m.ToString());
            Assert.InRange(m.GetProperty("maxAbsError").GetDouble(), 0, 1e-4);
        });
    }

    [Fact]
    public void The_examples_use_what_schema_version_2_adds()
    {
        var packs = Names.Select(n => ModelPackLoader.Load(TestPaths.ExamplePack(n)).Manifest).ToList();
        Assert.All(packs, m => Assert.Equal(2, m.SchemaVersion));
        var (jmt, jca, perClip, imagine) = (packs[0], packs[1], packs[2], packs[3]);

        Assert.Equal(["visual", "audio_logmel", "audio_wave"], jmt.Streams.Select(s => s.Name));
        Assert.Equal([64, 128, 768], jmt.Streams.Select(s => s.FeatureDim ?? 0));
        Assert.Equal(StreamRecipes.Waveform, jmt.Streams[2].Recipe);
        Assert.All(jmt.Fusion!.Outputs, o => Assert.Equal(("[16, 1]", (int?)0), (o.ShapeText, jmt.TimeAxisOf(o))));

        Assert.Equal(8, jca.Window);
        Assert.All(jca.Fusion!.Outputs, o => Assert.Equal(("[1, 8, 1]", (int?)1), (o.ShapeText, jca.TimeAxisOf(o))));

        Assert.Null(perClip.Fusion);
        Assert.Equal(1, perClip.Window);
        Assert.Equal([1L, 3, 64, 64], perClip.ScoreModel.Inputs[0].Shape);
        Assert.All(perClip.ScoreModel.Outputs, o => Assert.Equal(("[1, 1]", (int?)null), (o.ShapeText, perClip.TimeAxisOf(o))));

        Assert.Equal(MissingSubstitutes.Imagine, imagine.FindModality("audio")!.Missing.Substitute);
        Assert.Equal("visual", imagine.FindStream("audio")!.Spec.Imagination!.Inputs.Single().Stream);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Replay_of_the_test_media_gives_scores_for_every_clip(string name)
    {
        var pack = TestPaths.ExamplePack(name);
        var manifest = ModelPackLoader.Load(pack).Manifest;
        var hasAudio = manifest.FindModality("audio") is not null;
        string[] media = hasAudio ? ["--video", TestMedia.FaceVideo, "--audio", TestMedia.Speech] : ["--video", TestMedia.FaceVideo];

        var (code, _, error) = await CliRunner.RunAsync(["replay", "--pack", pack, .. media, "--out", Out($"{name}.jsonl"), "--providers", "cpu"]);

        Assert.True(code == ExitCodes.Ok, error);
        var lines = Lines(Out($"{name}.jsonl"));
        var span = manifest.Streams.First(s => s.Recipe == StreamRecipes.FaceClip).Spec.FaceClip!.SpanFrames;
        Assert.Equal(((FaceVideoFrames - span) / manifest.ClipSpacing) + 1, lines.Count); // one line per clip that fits the video
        Assert.All(lines, l =>
        {
            Assert.Equal("ok", l.GetProperty("modalities").GetProperty("visual").GetProperty("state").GetString());
            foreach (var output in manifest.Outputs)
            {
                Assert.InRange(l.GetProperty("scores").GetProperty(output.Name).GetDouble(), -1, 1);
            }
        });
        if (hasAudio)
        {
            Assert.Equal("ok", lines[0].GetProperty("modalities").GetProperty("audio").GetProperty("state").GetString());
        }

        // Synthetic weights still give scores that move with the input, not a constant.
        Assert.True(lines.Select(l => l.GetProperty("scores").GetProperty("valence").GetDouble()).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Without_audio_the_imagination_pack_publishes_imagined_and_scores_unlike_silence()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.ExamplePack("affect_imagine"),
            "--video", TestMedia.FaceVideo, "--out", Out("imagined.jsonl"), "--providers", "cpu");
        Assert.True(code == ExitCodes.Ok, error);
        var imagined = Lines(Out("imagined.jsonl"));
        Assert.NotEmpty(imagined);
        Assert.All(imagined, l =>
        {
            var audio = l.GetProperty("modalities").GetProperty("audio");
            Assert.Equal("imagined", audio.GetProperty("state").GetString());
            Assert.Equal("no source", audio.GetProperty("reason").GetString());
            Assert.Equal("ok", l.GetProperty("modalities").GetProperty("visual").GetProperty("state").GetString());
        });

        // The same pack, the same models, with the audio substitute rewritten to silence.
        using var silence = PackCopy.Of(TestPaths.ExamplePack("affect_imagine"));
        var manifestPath = silence.PathOf(ManifestReader.FileName);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var audioModality = manifest["modalities"]!.AsArray().Single(m => (string?)m!["name"] == "audio")!;
        audioModality["missing"]!["substitute"] = MissingSubstitutes.Silence;
        File.WriteAllText(manifestPath, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        (code, _, error) = await CliRunner.RunAsync("replay", "--pack", silence.Directory,
            "--video", TestMedia.FaceVideo, "--out", Out("silence.jsonl"), "--providers", "cpu");
        Assert.True(code == ExitCodes.Ok, error);
        var substituted = Lines(Out("silence.jsonl"));
        Assert.Equal(imagined.Count, substituted.Count);
        Assert.All(substituted, l => Assert.Equal("substituted", l.GetProperty("modalities").GetProperty("audio").GetProperty("state").GetString()));

        var difference = imagined.Zip(substituted).Max(p =>
            Math.Abs(p.First.GetProperty("scores").GetProperty("valence").GetDouble() - p.Second.GetProperty("scores").GetProperty("valence").GetDouble()));
        Assert.True(difference > 1e-3, $"imagined audio scores like silence (max |valence difference| {difference:E2})");
    }

    [Fact]
    public async Task With_audio_the_imagination_pack_runs_its_audio_backbone()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.ExamplePack("affect_imagine"),
            "--video", TestMedia.FaceVideo, "--audio", TestMedia.Speech, "--out", Out("both.jsonl"), "--providers", "cpu");

        Assert.True(code == ExitCodes.Ok, error);
        var first = Lines(Out("both.jsonl"))[0].GetProperty("modalities").GetProperty("audio");
        Assert.Equal("ok", first.GetProperty("state").GetString());
    }
}
