using System.Text.Json.Nodes;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Packs;

/// <summary>
/// Version 2 shapes no version 1 pack has, on real ONNX models: several streams per modality
/// with their own feature sizes, a waveform input, a one-image face clip, imagination models,
/// [S, 1] outputs, and a pack without fusion whose backbone gives the scores.
/// </summary>
public sealed class GeneratedVersion2PackTests(GeneratedVersion2Packs packs) : IClassFixture<GeneratedVersion2Packs>
{
    [Fact]
    public void Two_audio_streams_with_imagination_open_and_pass_their_goldens()
    {
        using var sessions = CpuSessions.Open(packs.Pack("two-audio"));
        var results = GoldenSelfTest.Run(sessions);

        Assert.Equal(["visual", "audio_logmel", "audio_wave", "imagine.audio_logmel", "imagine.audio_wave", "fusion"], results.Select(r => r.Model));
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Model}: {r.MaxAbsError} {r.Problem}"));
        Assert.Equal(["visual", "audio_logmel", "audio_wave"], sessions.Backbones.Keys);
        Assert.Equal(["audio_logmel", "audio_wave"], sessions.Imaginations.Keys.Order());
        Assert.Same(sessions.Fusion, sessions.Scores);
    }

    [Fact]
    public void Two_audio_streams_read_the_newest_of_an_S_by_1_output()
    {
        var manifest = ModelPackLoader.Load(packs.Pack("two-audio")).Manifest;

        Assert.Equal(4, manifest.Window);
        Assert.Equal(4, manifest.ClipSpacing);
        Assert.Equal([16, 16, 24], manifest.Streams.Select(s => s.FeatureDim!.Value));
        Assert.All(manifest.Outputs, o => Assert.Equal(new ScoreLayout(4, 1, 3), ScoreLayout.Of(manifest, manifest.ScoreModel.Outputs.Single(t => t.Name == o.Name), o)));
    }

    [Fact]
    public void Pack_without_fusion_scores_with_its_backbone()
    {
        using var sessions = CpuSessions.Open(packs.Pack("solo-visual"));
        var manifest = sessions.Pack.Manifest;
        var results = GoldenSelfTest.Run(sessions);

        Assert.Null(sessions.Fusion);
        Assert.Same(sessions.Backbones["visual"], sessions.Scores);
        Assert.Equal("visual", manifest.ScoreModelName);
        Assert.Equal(1, manifest.Window);
        Assert.Equal(new ScoreLayout(1, 1, 0), ScoreLayout.Of(manifest, manifest.ScoreModel.Outputs[0], manifest.Outputs[0]));
        Assert.Equal(new ScoreLayout(3, 1, 2), ScoreLayout.Of(manifest, manifest.ScoreModel.Outputs[1], manifest.Outputs[1]));
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Model}: {r.MaxAbsError} {r.Problem}"));
    }

    [Fact]
    public void Output_layout_that_disagrees_with_the_onnx_model_names_its_json_path()
    {
        // The model gives [4, 1]; the manifest declares the (valid) transposed layout.
        using var copy = PackCopy.Of(packs.Pack("two-audio"));
        EditManifest(copy.Directory, m =>
        {
            var valence = m["fusion"]!["outputs"]![0]!;
            valence["shape"] = new JsonArray(1, 4);
            valence["timeAxis"] = 1;
        });
        var pack = ModelPackLoader.Load(copy.Directory);

        var e = Assert.Throws<ModelPackException>(() => PackSessions.Open(pack, CpuSessions.Factory()).Dispose());

        Assert.Equal(PackErrorKind.ModelSignatureMismatch, e.Kind);
        Assert.Equal("fusion.onnx", e.Location);
        Assert.Contains("output 'valence' has shape [4, 1] in the model but [1, 4] in the manifest (manifest.json $.fusion.outputs[0])", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Imagination_input_that_disagrees_with_the_onnx_model_names_its_json_path()
    {
        using var copy = PackCopy.Of(packs.Pack("two-audio"));
        EditManifest(copy.Directory, m =>
        {
            m["modalities"]![1]!["streams"]![1]!["imagination"]!["inputs"]![0]!["name"] = "face_feature";
            var golden = m["golden"]!["cases"]!.AsArray().Single(c => (string?)c!["model"] == "imagine.audio_wave")!["inputs"]!.AsObject();
            golden["face_feature"] = (string?)golden["visual_feature"];
            golden.Remove("visual_feature");
        });
        var pack = ModelPackLoader.Load(copy.Directory);

        var e = Assert.Throws<ModelPackException>(() => PackSessions.Open(pack, CpuSessions.Factory()).Dispose());

        Assert.Equal("imagine_audio_wave.onnx", e.Location);
        Assert.Contains("(manifest.json $.modalities[1].streams[1].imagination.inputs)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_without_a_golden_case_fails_the_self_test()
    {
        using var copy = PackCopy.Of(packs.Pack("two-audio"));
        EditManifest(copy.Directory, m =>
        {
            var cases = m["golden"]!["cases"]!.AsArray();
            cases.Remove(cases.Single(c => (string?)c!["model"] == "imagine.audio_wave"));
        });

        using var sessions = CpuSessions.Open(copy.Directory);
        var results = GoldenSelfTest.Run(sessions);

        var missing = Assert.Single(results, r => !r.Passed);
        Assert.Equal("imagine.audio_wave", missing.Model);
        Assert.Equal("imagine_audio_wave.onnx", missing.File);
        Assert.Contains("no golden case", missing.Problem, StringComparison.Ordinal);
    }

    private static void EditManifest(string pack, Action<JsonObject> edit)
    {
        var path = Path.Combine(pack, ManifestReader.FileName);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
