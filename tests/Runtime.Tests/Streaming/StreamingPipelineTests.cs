using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Streaming;

public sealed class StreamingPipelineTests
{
    private static StreamingOptions Options(MissingPolicy policy = MissingPolicy.Hold, double maxHold = 3, int? hop = null) => new()
    {
        Hop = hop,
        Defaults = new ModalityOptions { Policy = policy, MaxHold = TimeSpan.FromSeconds(maxHold) },
    };

    [Fact]
    public void The_visual_modality_reaches_the_fusion_head()
    {
        using var withFace = new PipelineHarness("affect-tiny");
        withFace.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 4), PipelineHarness.Speech(0, 4));
        using var withoutVideo = new PipelineHarness("affect-tiny");
        withoutVideo.Run(audio: PipelineHarness.Speech(0, 4));

        Assert.Equal(ModalityState.Ok, withFace.Outputs[0].Modalities["visual"].State);
        Assert.Equal(ModalityState.Substituted, withoutVideo.Outputs[0].Modalities["visual"].State);
        Assert.NotEqual(withFace.Outputs[0].Scores![0].Value, withoutVideo.Outputs[0].Scores![0].Value);
    }

    [Fact]
    public void Each_clip_runs_each_backbone_once_while_outputs_come_every_hop()
    {
        using var harness = new PipelineHarness("affect-tiny", Options(hop: 8));

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 6), PipelineHarness.Speech(0, 6));

        var counters = harness.Pipeline.Counters;
        Assert.Equal(180 / 8, harness.Outputs.Count); // 6 s at 30 fps, one output every 8 frames
        Assert.All(harness.Outputs, o => Assert.Equal("ok", o.Status));
        Assert.Equal(harness.Outputs.Count, counters.BackboneRuns["visual"]);
        Assert.Equal(harness.Outputs.Count, counters.BackboneRuns["audio"]);
        Assert.Equal(harness.Outputs.Count, counters.FusionRuns);
        Assert.Equal(0, counters.SubstituteRuns["visual"]);

        // Only frames some clip keeps get a face detection: one in four once clips span 32 frames
        // (the first clips, with fewer frames behind them, take every 3rd, 2nd or every frame).
        var used = Enumerable.Range(0, (int)counters.VideoSlots).Count(slot => harness.Pipeline.Schedule.IsUsed(slot));
        Assert.Equal(used, counters.FaceDetections);
        Assert.InRange(counters.FaceDetections, 180 / 4, 180 / 3);
        Assert.Equal(180, counters.VideoFramesReceived);
    }

    [Fact]
    public void Latency_shows_face_detection_apart_and_counts_the_work_done_as_frames_arrive()
    {
        using var harness = new PipelineHarness("affect-tiny");

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 6), PipelineHarness.Speech(0, 6));

        // Detections happen as frames arrive, before the clip is scored: the output still shows them.
        Assert.All(harness.Outputs, o => Assert.True(o.Latency.FaceDetectionMs > 0, $"clip {o.Clip}: no detection time"));
        Assert.All(harness.Outputs, o =>
        {
            var stages = o.Latency.PreprocessMs.Values.Sum() + o.Latency.FaceDetectionMs + o.Latency.BackboneMs.Values.Sum() + o.Latency.FusionMs;
            Assert.True(o.Latency.TotalMs >= stages - 1e-6, $"clip {o.Clip}: total {o.Latency.TotalMs} ms < stages {stages} ms");
        });
    }

    [Fact]
    public void A_pushed_audio_block_goes_back_to_its_pool()
    {
        using var harness = new PipelineHarness("affect-tiny");
        var pool = new AudioBlockPool(882);
        var block = pool.Rent(TimeSpan.Zero, 44_100, 882);
        Array.Fill(block.Samples, 0.1f);

        harness.Pipeline.Push(block);

        Assert.Equal(1, pool.Available);
    }

    [Fact]
    public void What_the_pipeline_holds_between_clips_stays_bounded()
    {
        using var harness = new PipelineHarness("affect-tiny", Options(hop: 8));
        var depths = new List<PipelineDepths>();
        foreach (var second in Enumerable.Range(0, 12))
        {
            harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, second, second + 1), PipelineHarness.Speech(second, second + 1));
            depths.Add(harness.Pipeline.Depths);
        }

        var manifest = harness.Sessions.Pack.Manifest;
        var history = ((manifest.Window - 1) * (manifest.ClipSpacing / 8)) + 1;
        Assert.All(depths, d => Assert.InRange(d.VideoSlots, 0, harness.Pipeline.Schedule.SpanFrames));
        Assert.All(depths, d => Assert.InRange(d.FeatureClips, 0, 2 * history)); // one history per modality
        Assert.Equal(2 * Math.Min(harness.Outputs.Count, history), depths[^1].FeatureClips);

        // Crop buffers circulate between the slots and the pool: none are added once running.
        Assert.True(depths.Skip(6).Max(d => d.PooledCrops + d.VideoSlots) <= depths.Take(6).Max(d => d.PooledCrops + d.VideoSlots));
    }

    [Fact]
    public void Hold_reuses_the_last_good_clip_up_to_max_hold_then_substitutes()
    {
        using var harness = new PipelineHarness("affect-tiny", Options(maxHold: 2));

        // Audio stops at 3 s; video goes on to 9 s.
        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 9), PipelineHarness.Speech(0, 3));

        var audio = harness.Outputs.Select(o => o.Modalities["audio"]).ToList();
        var lastOk = audio.FindLastIndex(a => a.State == ModalityState.Ok);
        var held = audio.Skip(lastOk + 1).TakeWhile(a => a.State == ModalityState.Held).ToList();
        var after = audio.Skip(lastOk + 1 + held.Count).ToList();

        Assert.NotEmpty(held);
        Assert.All(held, h => Assert.InRange(h.HeldFor!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        Assert.NotEmpty(after);
        Assert.All(after, a => Assert.Equal(ModalityState.Substituted, a.State));
        Assert.All(harness.Outputs, o => Assert.NotNull(o.Scores)); // video is still there
        Assert.Equal(1, harness.Pipeline.Counters.SubstituteRuns["audio"]);
    }

    [Fact]
    public void Substitute_policy_replaces_a_missing_modality_at_once()
    {
        using var harness = new PipelineHarness("affect-tiny", Options(MissingPolicy.Substitute));

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 6), PipelineHarness.Speech(0, 3));

        var firstMissing = harness.Outputs.First(o => o.Modalities["audio"].State != ModalityState.Ok);
        Assert.Equal(ModalityState.Substituted, firstMissing.Modalities["audio"].State);
        Assert.DoesNotContain(harness.Outputs, o => o.Modalities["audio"].State == ModalityState.Held);
    }

    [Fact]
    public void With_every_modality_missing_no_score_is_invented()
    {
        using var harness = new PipelineHarness("affect-tiny");

        harness.Run(until: 5);

        Assert.Equal(4, harness.Outputs.Count);
        Assert.All(harness.Outputs, o =>
        {
            Assert.Null(o.Scores);
            Assert.Equal("no-signal", o.Status);
            Assert.Equal(MissingReasons.NoSource, o.Modalities["visual"].Reason);
        });
        Assert.Equal(0, harness.Pipeline.Counters.FusionRuns);
        Assert.Equal(0, harness.Pipeline.Counters.BackboneRuns["visual"]);
    }

    [Fact]
    public void Substitutes_enter_the_backbones_normalised_exactly_as_training()
    {
        using var affect = new PipelineHarness("affect-tiny");
        affect.Run(until: 2); // both missing: each substitute is computed once, on these inputs

        var clip = affect.Sessions.Backbones["visual"].Input(0);
        var plane = clip.Length / 3;
        double[] black = [-0.43216 / 0.22803, -0.394666 / 0.22145, -0.37645 / 0.216989]; // (0 - mean) / std
        for (var c = 0; c < 3; c++)
        {
            foreach (var value in clip.Slice(c * plane, plane))
            {
                Assert.Equal(black[c], value, 4);
            }
        }

        Assert.Equal(-1.8952, black[0], 4);
        foreach (var value in affect.Sessions.Backbones["audio"].Input(0))
        {
            Assert.Equal(-4.2825, value, 3); // 10*log10(amin) = -100 dB, (-100 + 14.8) / 19.895
        }

        using var pain = new PipelineHarness("pain-tiny");
        pain.Run(until: 2);
        foreach (var value in pain.Sessions.Backbones["eda"].Input(0))
        {
            Assert.Equal(0f, value); // neutral 5 uS = the pack's mean
        }
    }

    [Fact]
    public void Outputs_are_causal_later_data_never_changes_an_earlier_output()
    {
        using var full = new PipelineHarness("affect-tiny", Options(hop: 16));
        full.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 8), PipelineHarness.Speech(0, 8));
        using var cut = new PipelineHarness("affect-tiny", Options(hop: 16));
        cut.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 4), PipelineHarness.Speech(0, 4));

        var shared = cut.Outputs.Where(o => o.ClipEnd <= TimeSpan.FromSeconds(3.9)).ToList();
        Assert.True(shared.Count >= 6);
        foreach (var o in shared)
        {
            var same = full.Outputs.Single(f => f.Clip == o.Clip);
            Assert.Equal(o.Scores!.Select(s => s.Value), same.Scores!.Select(s => s.Value));
        }
    }

    [Fact]
    public void The_same_input_gives_the_same_outputs()
    {
        string Run()
        {
            using var harness = new PipelineHarness("pain-tiny");
            harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 5), eda: PipelineHarness.Eda(0, 5));
            return string.Join('\n', harness.Outputs.Select(o => $"{o.Clip} {o.Status} {string.Join(' ', o.Scores!.Select(s => s.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}"));
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void A_face_video_without_a_face_is_missing_for_no_face()
    {
        using var harness = new PipelineHarness("affect-tiny");

        harness.Run(PipelineHarness.Frames(TestMedia.NoFaceVideo), PipelineHarness.Speech(0, 5));

        Assert.NotEmpty(harness.Outputs);
        Assert.All(harness.Outputs, o =>
        {
            Assert.Equal(ModalityState.Substituted, o.Modalities["visual"].State);
            Assert.Equal(MissingReasons.NoFace, o.Modalities["visual"].Reason);
        });
    }

    [Fact]
    public void A_frozen_camera_is_missing_for_frozen_frames()
    {
        using var harness = new PipelineHarness("affect-tiny", Options(MissingPolicy.Substitute));
        using var still = PipelineHarness.Frames(TestMedia.FaceVideo, 0, 0.1).First();
        var frames = Enumerable.Range(0, 150).Select(i => new VideoFrame(TimeSpan.FromSeconds(i / 30.0), still.Image.Clone()));

        harness.Run(frames, PipelineHarness.Speech(0, 5));

        var later = harness.Outputs.Skip(1).ToList();
        Assert.NotEmpty(later);
        Assert.All(later, o => Assert.Equal(MissingReasons.Frozen, o.Modalities["visual"].Reason));
    }

    [Theory]
    [InlineData(0.0, MissingReasons.Silent)]
    [InlineData(40.0, MissingReasons.Clipped)]
    public void Silent_or_clipped_audio_is_missing(double level, string reason)
    {
        using var harness = new PipelineHarness("affect-tiny", Options(MissingPolicy.Substitute));

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 4), PipelineHarness.Speech(0, 4, level: level)
            .Select(b => b with { Samples = b.Samples.Select(x => Math.Clamp(x, -1f, 1f)).ToArray() }));

        Assert.All(harness.Outputs, o => Assert.Equal(reason, o.Modalities["audio"].Reason));
    }

    [Fact]
    public void An_electrode_off_reading_makes_eda_missing()
    {
        using var harness = new PipelineHarness("pain-tiny", Options(MissingPolicy.Substitute));

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 5), eda: PipelineHarness.Eda(0, 5, constant: 0.01));

        Assert.All(harness.Outputs, o => Assert.Equal(MissingReasons.OutOfRange, o.Modalities["eda"].Reason));
        Assert.All(harness.Outputs, o => Assert.Equal("degraded", o.Status));
    }

    [Fact]
    public void An_eda_sensor_that_goes_quiet_is_missing_while_scoring_goes_on_and_returns_after()
    {
        // What an I2C fault looks like from here: the ADS1115 source retries and delivers nothing.
        using var harness = new PipelineHarness("pain-tiny", Options(MissingPolicy.Substitute));

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 9), eda: PipelineHarness.Eda(0, 2).Concat(PipelineHarness.Eda(5, 9)));

        var eda = harness.Outputs.Select(o => (o.ClipEnd.TotalSeconds, o.Modalities["eda"])).ToList();
        Assert.Contains(eda, e => e.TotalSeconds is > 3.5 and < 5 && e.Item2.State == ModalityState.Substituted && e.Item2.Reason == MissingReasons.Stalled);
        Assert.Equal(ModalityState.Ok, eda[^1].Item2.State);
        Assert.All(harness.Outputs, o => Assert.NotNull(o.Scores)); // the camera kept scoring
    }

    [Fact]
    public void Pain_outputs_a_probability_and_a_level_with_class_probabilities()
    {
        using var harness = new PipelineHarness("pain-tiny");

        harness.Run(PipelineHarness.Frames(TestMedia.FaceVideo, 0, 3), eda: PipelineHarness.Eda(0, 3));

        var scores = harness.Outputs[^1].Scores!;
        var probability = scores.Single(s => s.Name == "pain_probability");
        Assert.InRange(probability.Value, 0, 1);
        var level = scores.Single(s => s.Name == "pain_level");
        Assert.InRange(level.Level!.Value, 0, 4);
        Assert.Equal(1.0, level.Probabilities!.Sum(), 9);
        Assert.Equal(level.Probabilities!.Select((p, i) => p * i).Sum(), level.Value, 9);
    }
}
