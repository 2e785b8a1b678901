using System.Text.Json.Nodes;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Packs;

/// <summary>
/// Schema version 2 on the committed tiny packs, rewritten (same ONNX files and goldens): the
/// rewrite loads and means the same as version 1, and every broken version 2 field is a named
/// error at its JSON path.
/// </summary>
public sealed class ManifestVersion2Tests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly PackCopy copy = new("affect-tiny");

    public void Dispose() => copy.Dispose();

    [Theory]
    [InlineData("affect-tiny")]
    [InlineData("pain-tiny")]
    public void A_version_1_pack_rewritten_as_version_2_loads_and_means_the_same(string id)
    {
        using var v2Copy = new PackCopy(id);
        V2Manifest.Rewrite(v2Copy);

        var v1 = ModelPackLoader.Load(TestPaths.Pack(id)).Manifest;
        var v2 = ModelPackLoader.Load(v2Copy.Directory).Manifest;

        Assert.Equal(2, v2.SchemaVersion);
        Assert.Equal(v1.ClipSpacing, v2.ClipSpacing);
        Assert.Equal(v1.Window, v2.Window);
        Assert.Equal(v1.ScoreModelName, v2.ScoreModelName);
        Assert.Equal(v1.Streams.Select(Describe), v2.Streams.Select(Describe));
        foreach (var output in v1.Outputs)
        {
            var tensor1 = v1.ScoreModel.Outputs.Single(t => t.Name == output.Name);
            var tensor2 = v2.ScoreModel.Outputs.Single(t => t.Name == output.Name);
            Assert.Equal(ScoreLayout.Of(v1, tensor1, output), ScoreLayout.Of(v2, tensor2, output));
        }
    }

    [Theory]
    [InlineData("affect-tiny")]
    [InlineData("pain-tiny")]
    public void A_version_2_rewrite_opens_every_model_and_passes_its_goldens(string id)
    {
        using var v2Copy = new PackCopy(id);
        V2Manifest.Rewrite(v2Copy);

        using var sessions = CpuSessions.Open(v2Copy.Directory);
        var results = GoldenSelfTest.Run(sessions);

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Model}: {r.MaxAbsError} {r.Problem}"));
        Assert.Same(sessions.Fusion, sessions.Scores);
    }

    // Streams and their names.

    [Fact]
    public void Fusion_input_naming_no_stream()
    {
        var e = Refused(m => Fusion(m)["inputs"]![1]!["stream"] = "voice", PackErrorKind.InvalidValue, "$.fusion.inputs[1].stream");

        Assert.Contains("'voice' is not a stream of this pack (visual, audio)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_feeding_the_fusion_head_twice()
    {
        var e = Refused(m => Fusion(m)["inputs"]![1]!["stream"] = "visual", PackErrorKind.InvalidValue, "$.fusion.inputs[1].stream");

        Assert.Contains("'visual' feeds the fusion head twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_name_twice_in_the_pack()
    {
        var e = Refused(m => Stream(m, 1)["name"] = "visual", PackErrorKind.InvalidValue, "$.modalities[1].streams[0].name");

        Assert.Contains("stream 'visual' appears twice", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Audio")]
    [InlineData("audio-wave")]
    [InlineData("1audio")]
    [InlineData("imagine.audio")]
    [InlineData("fusion")]
    public void Stream_name_that_is_not_allowed(string name)
    {
        Refused(m => Stream(m, 1)["name"] = name, PackErrorKind.InvalidValue, "$.modalities[1].streams[0].name");
    }

    [Fact]
    public void Modality_without_streams()
    {
        Refused(m => Modality(m, 1)["streams"] = new JsonArray(), PackErrorKind.InvalidValue, "$.modalities[1].streams");
    }

    // Feature sizes.

    [Fact]
    public void Feature_size_disagreeing_with_the_fusion_input()
    {
        var e = Refused(m =>
        {
            Stream(m, 1)["featureDim"] = 32;
            Stream(m, 1)["backbone"]!["outputs"]![0]!["shape"] = new JsonArray(1, 32);
        }, PackErrorKind.InvalidValue, "$.fusion.inputs[1].shape");

        Assert.Contains("'audio' has featureDim 32 but fusion input 'audio_features' is [1, 16, 64]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feature_size_disagreeing_with_the_backbone_output()
    {
        var e = Refused(m => Stream(m, 0)["featureDim"] = 128, PackErrorKind.InvalidValue, "$.modalities[0].streams[0].backbone.outputs[0].shape");

        Assert.Contains("the clip feature [1, featureDim] = [1, 128]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feature_size_missing_in_a_pack_with_fusion()
    {
        Refused(m => Stream(m, 0).Remove("featureDim"), PackErrorKind.MissingField, "$.modalities[0].streams[0].featureDim");
    }

    // Recipes.

    [Fact]
    public void Recipe_that_does_not_fit_the_modality_kind()
    {
        var e = Refused(m => Stream(m, 0)["recipe"] = "logmel", PackErrorKind.InvalidValue, "$.modalities[0].streams[0].recipe");

        Assert.Contains("'logmel' is not a recipe for a video modality (faceClip)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipe_of_another_kind_on_an_audio_stream()
    {
        var e = Refused(m => Stream(m, 1)["recipe"] = "faceClip", PackErrorKind.InvalidValue, "$.modalities[1].streams[0].recipe");

        Assert.Contains("'faceClip' is not a recipe for an audio modality (logmel, waveform)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipe_without_its_parameters()
    {
        Refused(m => Stream(m, 1)["recipe"] = "waveform", PackErrorKind.MissingField, "$.modalities[1].streams[0].waveform");
    }

    [Fact]
    public void Parameters_of_another_recipe()
    {
        var e = Refused(m => Stream(m, 1)["waveform"] = Waveform(16000), PackErrorKind.InvalidValue, "$.modalities[1].streams[0].waveform");

        Assert.Contains("a 'logmel' stream takes its parameters under 'logmel' only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Waveform_length_disagreeing_with_the_backbone_input()
    {
        var e = Refused(m => MakeWaveform(Stream(m, 1), samples: 8000, inputShape: [1, 1, 16000]),
            PackErrorKind.InvalidValue, "$.modalities[1].streams[0].backbone.inputs[0].shape");

        Assert.Contains("tensor 'logmel' has shape [1, 1, 16000]; the parameters make it [1, samples] or [1, 1, samples] = [1, 8000] or [1, 1, 8000]",
            e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("normalization", "\"rms\"")]
    [InlineData("padding", "\"right-zero\"")]
    [InlineData("sampleRate", "0")]
    [InlineData("samples", "-1")]
    public void Waveform_parameter_out_of_range(string field, string json)
    {
        Refused(m =>
        {
            MakeWaveform(Stream(m, 1), samples: 8000, inputShape: [1, 8000]);
            Stream(m, 1)["waveform"]![field] = JsonNode.Parse(json);
        }, PackErrorKind.InvalidValue, $"$.modalities[1].streams[0].waveform.{field}");
    }

    [Fact]
    public void Face_clip_of_one_frame_takes_a_single_image_input()
    {
        EditV2(m =>
        {
            var clip = Stream(m, 0)["faceClip"]!;
            clip["clipFrames"] = 1;
            clip["dilation"] = 32;
            Stream(m, 0)["backbone"]!["inputs"]![0]!["shape"] = new JsonArray(1, 3, 112, 112);
        });

        var stream = ModelPackLoader.Load(copy.Directory).Manifest.Streams[0];

        Assert.Equal(new long[] { 1, 3, 112, 112 }, stream.Backbone.Inputs[0].Shape);
    }

    [Fact]
    public void Face_clip_of_several_frames_takes_no_single_image()
    {
        var e = Refused(m => Stream(m, 0)["backbone"]!["inputs"]![0]!["shape"] = new JsonArray(1, 3, 112, 112),
            PackErrorKind.InvalidValue, "$.modalities[0].streams[0].backbone.inputs[0].shape");

        Assert.Contains("[1, 3, clipFrames, height, width] = [1, 3, 8, 112, 112]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Face_clip_streams_on_different_frame_clocks()
    {
        var e = Refused(m =>
        {
            var second = Stream(m, 0).DeepClone().AsObject();
            second["name"] = "visual_wide";
            second["faceClip"]!["frameRate"] = 25;
            Modality(m, 0)["streams"]!.AsArray().Add(second);
            AddFusionInput(m, "visual_wide", 64);
        }, PackErrorKind.InvalidValue, "$.modalities[0].streams[1].faceClip.frameRate");

        Assert.Contains("share the pack's frame clock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_streams_of_one_modality_each_feeding_the_fusion_head()
    {
        EditV2(m =>
        {
            var second = Stream(m, 1).DeepClone().AsObject();
            second["name"] = "audio_wave";
            MakeWaveform(second, samples: 16000, inputShape: [1, 1, 16000]);
            Modality(m, 1)["streams"]!.AsArray().Add(second);
            AddFusionInput(m, "audio_wave", 64);
            m["golden"]!["cases"]![2]!["inputs"]!["audio_wave_features"] = "golden/fusion_audio_features.npy";
        });

        var manifest = Checked();

        Assert.Equal(["visual", "audio", "audio_wave"], manifest.Streams.Select(s => s.Name));
        Assert.Equal(["visual", "audio", "audio_wave", "fusion"], PackSessions.Models(manifest).Select(x => x.Name));
        Assert.Equal(StreamRecipes.Waveform, manifest.FindStream("audio_wave")!.Recipe);
        Assert.Equal("audio", manifest.FindStream("audio_wave")!.Modality.Name);
    }

    // Output layouts.

    [Theory]
    [InlineData(new[] { 2, 16 }, 1)]
    [InlineData(new[] { 1, 16 }, 0)]
    [InlineData(new[] { 1, 1, 16 }, 2)]
    [InlineData(new[] { 1, 16, 2 }, 1)]
    [InlineData(new[] { 1, 16 }, null)]
    public void Output_layout_no_rule_allows(int[] shape, int? timeAxis)
    {
        var e = Refused(m => SetOutput(m, 1, shape, timeAxis), PackErrorKind.InvalidValue, "$.fusion.outputs[1]");

        Assert.Contains($"score tensor 'arousal' has shape [{string.Join(", ", shape)}]", e.Message, StringComparison.Ordinal);
        Assert.Contains("a layout no rule allows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_time_axis_shorter_than_the_window()
    {
        var e = Refused(m => SetOutput(m, 0, [8, 1], 0), PackErrorKind.InvalidValue, "$.fusion.outputs[0]");

        Assert.Contains("8 clip positions on time axis 0, but the fusion window is 16", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 16, 1 }, 0, 16)]
    [InlineData(new[] { 1, 16, 1 }, 1, 16)]
    [InlineData(new[] { 16 }, 0, 16)]
    [InlineData(new[] { 1, 1 }, null, 1)]
    public void Output_layouts_the_rules_allow(int[] shape, int? timeAxis, int steps)
    {
        EditV2(m => SetOutput(m, 0, shape, timeAxis));

        var manifest = ModelPackLoader.Load(copy.Directory).Manifest;
        var tensor = manifest.Fusion!.Outputs[0];

        Assert.Equal(new ScoreLayout(steps, 1, steps - 1), ScoreLayout.Of(manifest, tensor, manifest.Outputs[0]));
    }

    [Fact]
    public void Class_logits_with_time_on_axis_0()
    {
        using var pain = new PackCopy("pain-tiny");
        V2Manifest.Rewrite(pain, m =>
        {
            var level = Fusion(m)["outputs"]![1]!;
            level["shape"] = new JsonArray(5, 5);
            level["timeAxis"] = 0;
        });

        var manifest = ModelPackLoader.Load(pain.Directory).Manifest;

        Assert.Equal(new ScoreLayout(5, 5, 20), ScoreLayout.Of(manifest, manifest.Fusion!.Outputs[1], manifest.Outputs[1]));
    }

    [Fact]
    public void Class_logits_whose_class_axis_disagrees_with_the_classes()
    {
        using var pain = new PackCopy("pain-tiny");
        V2Manifest.Rewrite(pain, m => Fusion(m)["outputs"]![1]!["shape"] = new JsonArray(1, 5, 4));

        var e = Assert.Throws<ModelPackException>(() => ModelPackLoader.Load(pain.Directory));

        Assert.Equal("manifest.json $.fusion.outputs[1]", e.Location);
        Assert.Contains("multiply to the 5 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_axis_on_a_tensor_that_is_not_a_score()
    {
        var e = Refused(m => Stream(m, 0)["backbone"]!["outputs"]![0]!["timeAxis"] = 1,
            PackErrorKind.InvalidValue, "$.modalities[0].streams[0].backbone.outputs[0].timeAxis");

        Assert.Contains("belongs on score tensors only", e.Message, StringComparison.Ordinal);
    }

    // Imagination.

    [Fact]
    public void Imagination_model_feeding_the_fusion_head_loads()
    {
        EditV2(m => AddImagination(m));

        var manifest = Checked();

        Assert.Equal("visual", manifest.FindStream("audio")!.Spec.Imagination!.Inputs[0].Stream);
    }

    [Fact]
    public void Imagination_input_naming_no_stream()
    {
        var e = Refused(m => AddImagination(m)["inputs"]![0]!["stream"] = "face",
            PackErrorKind.InvalidValue, "$.modalities[1].streams[0].imagination.inputs[0].stream");

        Assert.Contains("'face' is not a stream of this pack", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Imagination_input_from_its_own_modality()
    {
        var e = Refused(m => AddImagination(m)["inputs"]![0]!["stream"] = "audio",
            PackErrorKind.InvalidValue, "$.modalities[1].streams[0].imagination.inputs[0].stream");

        Assert.Contains("'audio' is in modality 'audio' itself", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Imagination_input_of_the_wrong_shape()
    {
        var e = Refused(m => AddImagination(m)["inputs"]![0]!["shape"] = new JsonArray(1, 16, 64),
            PackErrorKind.InvalidValue, "$.modalities[1].streams[0].imagination.inputs[0].shape");

        Assert.Contains("'visual' has featureDim 64 but imagination input 'visual_feature' is [1, 16, 64]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Imagination_output_of_the_wrong_shape()
    {
        Refused(m => AddImagination(m)["outputs"]![0]!["shape"] = new JsonArray(1, 32),
            PackErrorKind.InvalidValue, "$.modalities[1].streams[0].imagination.outputs[0].shape");
    }

    [Fact]
    public void Imagination_with_two_outputs()
    {
        Refused(m =>
        {
            var outputs = AddImagination(m)["outputs"]!.AsArray();
            var second = outputs[0]!.DeepClone();
            second["name"] = "confidence";
            outputs.Add(second);
        }, PackErrorKind.InvalidValue, "$.modalities[1].streams[0].imagination.outputs");
    }

    [Fact]
    public void Imagination_input_naming_a_modality()
    {
        Refused(m =>
        {
            var input = AddImagination(m)["inputs"]![0]!.AsObject();
            input.Remove("stream");
            input["modality"] = "visual";
        }, PackErrorKind.InvalidValue, "$.modalities[1].streams[0].imagination.inputs[0].modality");
    }

    [Fact]
    public void Imagine_substitute_without_an_imagination_model()
    {
        var e = Refused(m => Modality(m, 1)["missing"]!["substitute"] = "imagine",
            PackErrorKind.MissingField, "$.modalities[1].streams[0].imagination");

        Assert.Contains("has no imagination model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Imagination_file_without_a_sha256()
    {
        Refused(m =>
        {
            AddImagination(m);
            m["files"]!.AsObject().Remove("imagine_audio.onnx");
        }, PackErrorKind.UnlistedFile, "$.files");
    }

    [Fact]
    public void Golden_case_for_a_model_the_pack_lacks()
    {
        var e = Refused(m => m["golden"]!["cases"]![0]!["model"] = "imagine.visual", PackErrorKind.InvalidValue, "$.golden.cases[0].model");

        Assert.Contains("'imagine.visual' is not a model of this pack (visual, audio, fusion", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_substitute()
    {
        var e = Refused(m => Modality(m, 1)["missing"]!["substitute"] = "black", PackErrorKind.InvalidValue, "$.modalities[1].missing.substitute");

        Assert.Contains("'black' is not an audio substitute (silence, imagine)", e.Message, StringComparison.Ordinal);
    }

    // Packs without fusion.

    [Fact]
    public void Pack_without_fusion_and_two_streams()
    {
        var e = Refused(m => m.Remove("fusion"), PackErrorKind.MissingField, "$.fusion");

        Assert.Contains("this pack has 2 streams (visual, audio)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_without_fusion_keeps_no_feature_size()
    {
        Refused(m => MakeSolo(m), PackErrorKind.InvalidValue, "$.modalities[0].streams[0].featureDim");
    }

    [Fact]
    public void Pack_without_fusion_whose_backbone_does_not_give_the_outputs()
    {
        var e = Refused(m =>
        {
            MakeSolo(m);
            Stream(m, 0).Remove("featureDim");
        }, PackErrorKind.InvalidValue, "$.modalities[0].streams[0].backbone.outputs");

        Assert.Contains("backbone outputs (feature) differ from the pack's outputs (valence, arousal)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_without_fusion_cannot_imagine()
    {
        Refused(m =>
        {
            MakeSolo(m);
            Stream(m, 0).Remove("featureDim");
            Modality(m, 0)["missing"]!["substitute"] = "imagine";
        }, PackErrorKind.InvalidValue, "$.modalities[0].missing.substitute");
    }

    // Fields of the other version.

    [Theory]
    [InlineData("backbone")]
    [InlineData("video")]
    public void Version_1_modality_field_in_version_2(string field)
    {
        var e = Refused(m => Modality(m, 0)[field] = Stream(m, 0)[field == "video" ? "faceClip" : field]!.DeepClone(), PackErrorKind.InvalidValue, $"$.modalities[0].{field}");

        Assert.Contains($"'{field}' is a schema version 1 field", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("featureDim", 64)]
    [InlineData("clipSpacingFrames", 32)]
    public void Version_1_fusion_field_in_version_2(string field, int value)
    {
        Refused(m => Fusion(m)[field] = value, PackErrorKind.InvalidValue, $"$.fusion.{field}");
    }

    [Fact]
    public void Version_1_fusion_input_by_modality_in_version_2()
    {
        var e = Refused(m => Fusion(m)["inputs"]![0]!["modality"] = "visual", PackErrorKind.InvalidValue, "$.fusion.inputs[0].modality");

        Assert.Contains("version 2 fusion inputs name a 'stream'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_2_without_top_level_clip_spacing()
    {
        Refused(m => m.Remove("clipSpacingFrames"), PackErrorKind.MissingField, "$.clipSpacingFrames");
    }

    [Fact]
    public void Version_2_modality_without_streams()
    {
        Refused(m => Modality(m, 0).Remove("streams"), PackErrorKind.MissingField, "$.modalities[0].streams");
    }

    [Fact]
    public void Version_2_fusion_input_without_a_stream()
    {
        Refused(m => Fusion(m)["inputs"]![0]!.AsObject().Remove("stream"), PackErrorKind.MissingField, "$.fusion.inputs[0].stream");
    }

    [Fact]
    public void Version_2_field_in_version_1_top_level()
    {
        var e = RefusedV1(m => m["clipSpacingFrames"] = 32, PackErrorKind.InvalidValue, "$.clipSpacingFrames");

        Assert.Contains("'clipSpacingFrames' is a schema version 2 field", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_2_streams_in_a_version_1_modality()
    {
        RefusedV1(m => m["modalities"]![0]!["streams"] = new JsonArray(), PackErrorKind.InvalidValue, "$.modalities[0].streams");
    }

    [Fact]
    public void Version_2_fusion_input_by_stream_in_version_1()
    {
        RefusedV1(m => m["fusion"]!["inputs"]![0]!["stream"] = "visual", PackErrorKind.InvalidValue, "$.fusion.inputs[0].stream");
    }

    [Fact]
    public void Version_2_time_axis_in_version_1()
    {
        RefusedV1(m => m["fusion"]!["outputs"]![0]!["timeAxis"] = 1, PackErrorKind.InvalidValue, "$.fusion.outputs[0].timeAxis");
    }

    [Theory]
    [InlineData("fusion", null, "$.fusion")]
    [InlineData("fusion", "featureDim", "$.fusion.featureDim")]
    [InlineData("fusion", "clipSpacingFrames", "$.fusion.clipSpacingFrames")]
    public void Version_1_still_requires_its_fusion_fields(string parent, string? field, string path)
    {
        var e = RefusedV1(m =>
        {
            if (field is null)
            {
                m.Remove(parent);
            }
            else
            {
                m[parent]!.AsObject().Remove(field);
            }
        }, PackErrorKind.MissingField, path);

        Assert.Contains($"required field '{field ?? parent}' is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_1_still_requires_a_backbone_per_modality()
    {
        RefusedV1(m => m["modalities"]![1]!.AsObject().Remove("backbone"), PackErrorKind.MissingField, "$.modalities[1].backbone");
    }

    [Fact]
    public void Version_1_still_refuses_the_imagine_substitute()
    {
        var e = RefusedV1(m => m["modalities"]![1]!["missing"]!["substitute"] = "imagine", PackErrorKind.InvalidValue, "$.modalities[1].missing.substitute");

        Assert.Contains("'imagine' is not an audio substitute (silence)", e.Message, StringComparison.Ordinal);
    }

    private static string Describe(StreamBinding s) =>
        $"{s.Modality.Name}/{s.Name} {s.Recipe} {s.FeatureDim} {s.Backbone.File} {s.Backbone.Inputs[0].ShapeText} {s.Spec.FaceClip?.ClipFrames} {s.Spec.Logmel?.NMels} {s.Spec.Eda?.SegmentSamples}";

    private static JsonObject Modality(JsonObject m, int i) => m["modalities"]![i]!.AsObject();

    private static JsonObject Stream(JsonObject m, int modality) => Modality(m, modality)["streams"]![0]!.AsObject();

    private static JsonObject Fusion(JsonObject m) => m["fusion"]!.AsObject();

    private static JsonObject Waveform(int samples) => new()
    {
        ["sampleRate"] = 16000,
        ["samples"] = samples,
        ["padding"] = "left-zero",
        ["normalization"] = "zscore",
    };

    private static void MakeWaveform(JsonObject stream, int samples, int[] inputShape)
    {
        stream["recipe"] = "waveform";
        stream.Remove("logmel");
        stream["waveform"] = Waveform(samples);
        stream["backbone"]!["inputs"]![0]!["shape"] = new JsonArray([.. inputShape.Select(d => JsonValue.Create(d))]);
    }

    private static void AddFusionInput(JsonObject m, string stream, int featureDim) =>
        Fusion(m)["inputs"]!.AsArray().Add(new JsonObject
        {
            ["stream"] = stream,
            ["name"] = stream + "_features",
            ["elementType"] = "float32",
            ["shape"] = new JsonArray(1, 16, featureDim),
        });

    private static void SetOutput(JsonObject m, int index, int[] shape, int? timeAxis)
    {
        var output = Fusion(m)["outputs"]![index]!.AsObject();
        output["shape"] = new JsonArray([.. shape.Select(d => JsonValue.Create(d))]);
        output.Remove("timeAxis");
        if (timeAxis is { } t)
        {
            output["timeAxis"] = t;
        }
    }

    /// <summary>An audio imagination model from the visual feature; its file only listed (consistency runs before hashes).</summary>
    private static JsonObject AddImagination(JsonObject m)
    {
        var imagination = new JsonObject
        {
            ["file"] = "imagine_audio.onnx",
            ["inputs"] = new JsonArray(new JsonObject { ["stream"] = "visual", ["name"] = "visual_feature", ["elementType"] = "float32", ["shape"] = new JsonArray(1, 64) }),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "audio_feature", ["elementType"] = "float32", ["shape"] = new JsonArray(1, 64) }),
        };
        Stream(m, 1)["imagination"] = imagination;
        Modality(m, 1)["missing"]!["substitute"] = "imagine";
        m["files"]!["imagine_audio.onnx"] = Sha;
        return imagination;
    }

    /// <summary>Leaves only the visual modality, without fusion; its backbone still gives a feature.</summary>
    private static void MakeSolo(JsonObject m)
    {
        m["modalities"]!.AsArray().RemoveAt(1);
        m.Remove("fusion");
    }

    private void EditV2(Action<JsonObject> edit) => V2Manifest.Rewrite(copy, edit);

    /// <summary>Checks the manifest alone (no hashes) and wants one error, at one path.</summary>
    private ModelPackException Refused(Action<JsonObject> edit, PackErrorKind kind, string path)
    {
        EditV2(edit);
        return Fails(kind, path);
    }

    private ModelPackException RefusedV1(Action<JsonObject> edit, PackErrorKind kind, string path)
    {
        var file = copy.PathOf(ManifestReader.FileName);
        var manifest = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        edit(manifest);
        File.WriteAllText(file, manifest.ToJsonString());
        return Fails(kind, path);
    }

    /// <summary>The copy's manifest, read and checked on its own (its files need not exist).</summary>
    private PackManifest Checked()
    {
        var manifest = ManifestReader.ReadFile(copy.PathOf(ManifestReader.FileName));
        ManifestConsistency.Check(manifest);
        return manifest;
    }

    private ModelPackException Fails(PackErrorKind kind, string path)
    {
        var e = Assert.Throws<ModelPackException>(() => Checked());
        Assert.True(kind == e.Kind && e.Location == $"manifest.json {path}", $"expected {kind} at {path}, got {e.Kind}: {e.Message}");
        return e;
    }
}
