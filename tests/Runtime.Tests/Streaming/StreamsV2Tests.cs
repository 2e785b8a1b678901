using System.Globalization;
using System.Text.Json.Nodes;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>The pipeline on manifest-version-2 packs: streams per modality, score layouts, no fusion, imagination.</summary>
public sealed class StreamsV2Tests
{
    private static StreamingOptions Options(MissingPolicy policy, double maxHold = 1) => new()
    {
        Defaults = new ModalityOptions { Policy = policy, MaxHold = TimeSpan.FromSeconds(maxHold) },
    };

    [Theory]
    [InlineData("affect-tiny")]
    [InlineData("pain-tiny")]
    public async Task A_v1_pack_rewritten_as_version_2_with_one_stream_per_modality_scores_exactly_the_same(string pack)
    {
        using var v2 = await V2Pack.CreateAsync(pack);
        using var before = new PipelineHarness(pack, Options(MissingPolicy.Hold, maxHold: 1.5));
        using var after = new PipelineHarness(v2.Open(), Options(MissingPolicy.Hold, maxHold: 1.5));

        // A gap in the second modality: held for a second, then substituted, then back.
        foreach (var harness in new[] { before, after })
        {
            if (pack == "affect-tiny")
            {
                harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 7), [.. PipelineHarness.Speech(0, 2), .. PipelineHarness.Speech(4.5, 7)]);
            }
            else
            {
                harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 7), eda: [.. PipelineHarness.Eda(0, 2), .. PipelineHarness.Eda(4.5, 7)]);
            }
        }

        var expected = before.Outputs.Select(Describe).ToList();
        Assert.Contains(expected, line => line.Contains("held", StringComparison.Ordinal));
        Assert.Contains(expected, line => line.Contains("substituted", StringComparison.Ordinal));
        Assert.Equal(expected, after.Outputs.Select(Describe));
        Assert.Equal(before.Pipeline.Counters.BackboneRuns, after.Pipeline.Counters.BackboneRuns);
        Assert.Equal(before.Pipeline.Counters.SubstituteRuns, after.Pipeline.Counters.SubstituteRuns);
    }

    [Fact]
    public async Task Two_audio_streams_share_one_judgement_and_each_backbone_runs_once_per_clip()
    {
        using var v2 = await V2Pack.CreateAsync("affect-tiny", withTinyModels: true);
        var logmel = v2.Stream("audio");
        logmel["name"] = "audio_logmel";
        v2.Modality("audio")["streams"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "audio_wave",
            ["recipe"] = "waveform",
            ["featureDim"] = 24,
            ["waveform"] = new JsonObject { ["sampleRate"] = 16000, ["samples"] = 8000, ["padding"] = "left-zero", ["normalization"] = "zscore" },
            ["backbone"] = new JsonObject
            {
                ["file"] = "audio_wave.onnx",
                ["inputs"] = new JsonArray(V2Pack.Tensor("waveform", [1, 8000])),
                ["outputs"] = new JsonArray(V2Pack.Tensor("feature", [1, 24])),
            },
        });
        v2.Manifest["fusion"] = new JsonObject
        {
            ["file"] = "fusion3.onnx",
            ["inputs"] = new JsonArray(
                V2Pack.Tensor("visual_features", [1, 4, 64], stream: "visual"),
                V2Pack.Tensor("logmel_features", [1, 4, 64], stream: "audio_logmel"),
                V2Pack.Tensor("wave_features", [1, 4, 24], stream: "audio_wave")),
            ["outputs"] = new JsonArray(V2Pack.Tensor("valence", [4, 1], timeAxis: 0), V2Pack.Tensor("arousal", [1, 4, 1], timeAxis: 1)),
            ["window"] = 4,
        };
        v2.Manifest["golden"]!["cases"] = new JsonArray();
        using var harness = new PipelineHarness(v2.Open(), Options(MissingPolicy.Substitute));

        // Speech, 1.5 s of silence (a muted microphone), speech again.
        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 7),
            [.. PipelineHarness.Speech(0, 3), .. PipelineHarness.Speech(3, 4.5, level: 0), .. PipelineHarness.Speech(4.5, 7)]);

        var counters = harness.Pipeline.Counters;
        var audioOk = harness.Outputs.Count(o => o.Modalities["audio"].State == ModalityState.Ok);
        var silent = harness.Outputs.Where(o => o.Modalities["audio"].State == ModalityState.Substituted).ToList();
        Assert.All(harness.Outputs, o => Assert.Equal(["visual", "audio"], o.Modalities.Keys));
        Assert.NotEmpty(silent);
        Assert.All(silent, o => Assert.Equal(MissingReasons.Silent, o.Modalities["audio"].Reason));
        Assert.InRange(audioOk, 1, harness.Outputs.Count - 1);
        Assert.Equal(audioOk, counters.BackboneRuns["audio_logmel"]);
        Assert.Equal(audioOk, counters.BackboneRuns["audio_wave"]);
        Assert.Equal(1, counters.SubstituteRuns["audio_logmel"]);
        Assert.Equal(1, counters.SubstituteRuns["audio_wave"]);
        Assert.Equal(harness.Outputs.Count, counters.FusionRuns);

        // valence is [S, 1] (time axis 0), arousal [1, S, 1]: both read at the newest position S-1.
        var last = harness.Outputs[^1].Scores!;
        Assert.Equal(Math.Clamp(harness.Sessions.Fusion!.Output("valence")[3], -1, 1), last[0].Value);
        Assert.Equal(Math.Clamp(harness.Sessions.Fusion.Output("arousal")[3], -1, 1), last[1].Value);
        Assert.True(harness.Outputs.Select(o => o.Scores![0].Value).Distinct().Count() > 2, "valence should move with the clips");
    }

    [Fact]
    public async Task Two_video_streams_share_the_face_crops_and_a_one_image_stream_takes_the_clip_s_newest_frame()
    {
        using var v2 = await V2Pack.CreateAsync("affect-tiny", withTinyModels: true);
        var clip = v2.Stream("visual");
        var image = clip.DeepClone().AsObject();
        image["name"] = "visual_face";
        image["featureDim"] = 24;
        image["faceClip"]!["clipFrames"] = 1;
        image["faceClip"]!["dilation"] = 32;
        image["backbone"] = new JsonObject
        {
            ["file"] = "face_feature.onnx",
            ["inputs"] = new JsonArray(V2Pack.Tensor("face", [1, 3, 112, 112])),
            ["outputs"] = new JsonArray(V2Pack.Tensor("feature", [1, 24])),
        };
        v2.Modality("visual")["streams"]!.AsArray().Add(image);
        v2.Manifest["fusion"] = new JsonObject
        {
            ["file"] = "fusion3.onnx",
            ["inputs"] = new JsonArray(
                V2Pack.Tensor("visual_features", [1, 4, 64], stream: "visual"),
                V2Pack.Tensor("logmel_features", [1, 4, 64], stream: "audio"),
                V2Pack.Tensor("wave_features", [1, 4, 24], stream: "visual_face")),
            ["outputs"] = new JsonArray(V2Pack.Tensor("valence", [4, 1], timeAxis: 0), V2Pack.Tensor("arousal", [1, 4, 1], timeAxis: 1)),
            ["window"] = 4,
        };
        v2.Manifest["golden"]!["cases"] = new JsonArray();
        using var one = new PipelineHarness("affect-tiny");
        using var two = new PipelineHarness(v2.Open());

        one.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 5), PipelineHarness.Speech(0, 5));
        two.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 5), PipelineHarness.Speech(0, 5));

        // The same frames get the same detections; each stream's backbone runs once per clip the modality is ok.
        var counters = two.Pipeline.Counters;
        Assert.Equal(one.Pipeline.Counters.FaceDetections, counters.FaceDetections);
        Assert.Equal(one.Outputs.Select(o => o.Modalities["visual"].State), two.Outputs.Select(o => o.Modalities["visual"].State));
        var ok = two.Outputs.Count(o => o.Modalities["visual"].State == ModalityState.Ok);
        Assert.True(ok > 2, $"{ok} clips with a face");
        Assert.Equal(ok, counters.BackboneRuns["visual"]);
        Assert.Equal(ok, counters.BackboneRuns["visual_face"]);

        // The last clip's inputs: the one-image stream's face is the 8-frame clip's last frame.
        Assert.Equal(ModalityState.Ok, two.Outputs[^1].Modalities["visual"].State);
        const int Plane = 112 * 112;
        var clipInput = two.Sessions.Backbones["visual"].Input(0).ToArray();
        var faceInput = two.Sessions.Backbones["visual_face"].Input(0).ToArray();
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(clipInput.AsSpan(((c * 8) + 7) * Plane, Plane).ToArray(), faceInput.AsSpan(c * Plane, Plane).ToArray());
        }
    }

    [Fact]
    public async Task A_pack_without_fusion_scores_each_clip_with_its_one_face_image_model()
    {
        using var v2 = await V2Pack.CreateAsync("pain-tiny", withTinyModels: true);
        var visual = v2.Modality("visual");
        v2.Manifest["modalities"] = new JsonArray(visual.DeepClone());
        var stream = v2.Stream("visual");
        stream.Remove("featureDim");
        var faceClip = stream["faceClip"]!.AsObject();
        faceClip["clipFrames"] = 1;
        faceClip["dilation"] = 16;
        stream["backbone"] = new JsonObject
        {
            ["file"] = "visual_image.onnx",
            ["inputs"] = new JsonArray(V2Pack.Tensor("face", [1, 3, 112, 112])),
            ["outputs"] = new JsonArray(V2Pack.Tensor("pain_probability", [1, 1]), V2Pack.Tensor("pain_level", [1, 5])),
        };
        v2.Manifest.Remove("fusion");
        v2.Manifest["golden"]!["cases"] = new JsonArray();
        using var harness = new PipelineHarness(v2.Open(), Options(MissingPolicy.Hold, maxHold: 1));

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 4), until: 6);

        var counters = harness.Pipeline.Counters;
        var ok = harness.Outputs.Where(o => o.Modalities["visual"].State == ModalityState.Ok).ToList();
        Assert.Equal(0, counters.FusionRuns);
        Assert.Equal(ok.Count, counters.BackboneRuns["visual"]);
        Assert.Equal(0, counters.SubstituteRuns["visual"]); // a lone modality missing has no scores: no substitute to compute
        Assert.True(ok.Count > 3, $"{ok.Count} clips with a face");
        Assert.All(ok, o =>
        {
            Assert.InRange(o.Scores![0].Value, 0, 1);
            Assert.Equal(1, o.Scores[1].Probabilities!.Sum(), 9);
        });
        Assert.True(ok.Select(o => o.Scores![0].Value).Distinct().Count() > 1, "each clip's face should give its own score");

        // After the video ends: the last clip's scores held for a second, then no scores at all.
        var held = harness.Outputs.Where(o => o.Modalities["visual"].State == ModalityState.Held).ToList();
        Assert.NotEmpty(held);
        Assert.All(held, o => Assert.Equal(ok[^1].Scores![0].Value, o.Scores![0].Value));
        Assert.Equal("no-signal", harness.Outputs[^1].Status);
    }

    [Fact]
    public async Task An_audio_dropout_is_imagined_from_the_visual_features_and_scores_unlike_silence()
    {
        using var silence = await V2Pack.CreateAsync("affect-tiny");
        using var imagine = await V2Pack.CreateAsync("affect-tiny", withTinyModels: true);
        imagine.Modality("audio")["missing"] = new JsonObject { ["substitute"] = "imagine" };
        imagine.Stream("audio")["imagination"] = new JsonObject
        {
            ["file"] = "imagine_audio.onnx",
            ["inputs"] = new JsonArray(V2Pack.Tensor("visual_feature", [1, 64], stream: "visual")),
            ["outputs"] = new JsonArray(V2Pack.Tensor("audio_feature", [1, 64])),
        };
        using var substituted = new PipelineHarness(silence.Open(), Options(MissingPolicy.Substitute));
        using var imagined = new PipelineHarness(imagine.Open(), Options(MissingPolicy.Substitute));

        // The microphone drops out from 3 s to 5 s (no samples: stalled).
        foreach (var harness in new[] { substituted, imagined })
        {
            harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 7), [.. PipelineHarness.Speech(0, 3), .. PipelineHarness.Speech(5, 7)]);
        }

        var dropout = Enumerable.Range(0, imagined.Outputs.Count).Where(i => imagined.Outputs[i].Modalities["audio"].State != ModalityState.Ok).ToList();
        Assert.NotEmpty(dropout);
        Assert.All(dropout, i =>
        {
            var report = imagined.Outputs[i].Modalities["audio"];
            Assert.Equal(ModalityState.Imagined, report.State);
            Assert.Equal(substituted.Outputs[i].Modalities["audio"].Reason, report.Reason);
            Assert.Equal(ModalityState.Substituted, substituted.Outputs[i].Modalities["audio"].State);
            Assert.Equal("degraded", imagined.Outputs[i].Status);
            Assert.NotEqual(substituted.Outputs[i].Scores![0].Value, imagined.Outputs[i].Scores![0].Value);
        });
        Assert.Equal(substituted.Outputs[..dropout[0]].Select(Describe), imagined.Outputs[..dropout[0]].Select(Describe));
        Assert.Equal(dropout.Count, imagined.Pipeline.Counters.ImaginationRuns["audio"]);
        Assert.Equal(0, imagined.Pipeline.Counters.SubstituteRuns["audio"]);
    }

    [Fact]
    public async Task Without_a_present_modality_to_imagine_from_the_natural_substitute_stands_in()
    {
        using var imagine = await V2Pack.CreateAsync("affect-tiny", withTinyModels: true);
        imagine.Modality("audio")["missing"] = new JsonObject { ["substitute"] = "imagine" };
        imagine.Stream("audio")["imagination"] = new JsonObject
        {
            ["file"] = "imagine_audio.onnx",
            ["inputs"] = new JsonArray(V2Pack.Tensor("visual_feature", [1, 64], stream: "visual")),
            ["outputs"] = new JsonArray(V2Pack.Tensor("audio_feature", [1, 64])),
        };
        using var harness = new PipelineHarness(imagine.Open(), Options(MissingPolicy.Substitute));

        // No camera at all; the microphone drops out from 2 s.
        harness.Run(audio: PipelineHarness.Speech(0, 2), until: 4);

        var missing = harness.Outputs.Where(o => o.Modalities["audio"].State != ModalityState.Ok).ToList();
        Assert.NotEmpty(missing);
        Assert.All(missing, o =>
        {
            Assert.Equal(ModalityState.Substituted, o.Modalities["audio"].State);
            Assert.Equal("no-signal", o.Status);
        });
        Assert.Equal(0, harness.Pipeline.Counters.ImaginationRuns["audio"]);
    }

    private static string Describe(ScoreOutput o) =>
        string.Create(CultureInfo.InvariantCulture, $"{o.Clip} {o.ClipEnd.Ticks} {o.Status} ")
        + string.Join(' ', o.Modalities.Select(m => $"{m.Key}={m.Value.State.Name()}/{m.Value.Reason}/{m.Value.HeldFor?.Ticks}"))
        + " " + string.Join(' ', o.Scores?.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Name}={s.Value:R}/{s.Level}/{string.Join(',', s.Probabilities?.Select(p => p.ToString("R", CultureInfo.InvariantCulture)) ?? [])}")) ?? ["none"]);
}
