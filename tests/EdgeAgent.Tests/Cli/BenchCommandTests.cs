using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>The benchmark's plumbing; its figures are read by people, never asserted.</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_reports_both_paths_for_every_model()
    {
        var (code, output, error) = await CliRunner.RunAsync(
            "bench", "--pack", TestPaths.Pack("pain-tiny"), "-n", "3", "--warmup", "1", "--seconds", "2", "--json", "--providers", "cpu");

        Assert.True(code == ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(output);
        var models = json.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["visual", "eda", "fusion"], models.Select(m => m.GetProperty("model").GetString()));
        Assert.All(models, m =>
        {
            Assert.Equal(3, m.GetProperty("iterations").GetInt32());
            Assert.True(m.GetProperty("medianMs").GetDouble() > 0);
            Assert.True(m.GetProperty("bareMedianMs").GetDouble() > 0);
        });
    }

    [Theory]
    [InlineData("jmt_two_audio", new[] { "visual", "audio_logmel", "audio_wave", "fusion" })]
    [InlineData("affect_imagine", new[] { "visual", "audio", "imagine.audio", "fusion" })]
    [InlineData("per_clip_visual", new[] { "visual" })]
    public async Task Bench_measures_version_2_packs_model_by_model_and_streaming(string example, string[] models)
    {
        var (code, output, error) = await CliRunner.RunAsync(
            "bench", "--pack", TestPaths.ExamplePack(example), "-n", "2", "--warmup", "1", "--seconds", "2", "--warmup-seconds", "1", "--json", "--providers", "cpu");

        Assert.True(code == ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(models, json.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("model").GetString()));
        Assert.True(json.RootElement.GetProperty("streaming").GetProperty("outputs").GetInt32() > 0);
    }

    [Fact]
    public async Task Bench_streams_generated_media_and_reports_every_stage()
    {
        var pack = TestPaths.Pack("affect-tiny");
        var manifest = ModelPackLoader.Load(pack).Manifest;
        var (code, output, error) = await CliRunner.RunAsync(
            "bench", "--pack", pack, "-n", "2", "--seconds", "6", "--warmup-seconds", "2", "--json", "--providers", "cpu");

        Assert.True(code == ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(output);
        var streaming = json.RootElement.GetProperty("streaming");
        Assert.True(streaming.GetProperty("real_time_factor").GetDouble() > 0);

        // One output per clip spacing (the default hop): 6 s of media measured after 2 s of warm-up.
        var spacing = manifest.ClipSpacing;
        var fps = manifest.Modalities.Single(m => m.Kind == ModalityKinds.Video).Video!.FrameRate;
        var outputs = (int)Math.Ceiling(6 / (spacing / fps));
        Assert.Equal(spacing, streaming.GetProperty("hop_frames").GetInt32());
        Assert.Equal(outputs, streaming.GetProperty("outputs").GetInt32());
        Assert.Equal((int)Math.Ceiling(2 / (spacing / fps)), streaming.GetProperty("warmup_outputs").GetInt32());
        Assert.Equal(outputs, streaming.GetProperty("statuses").GetProperty("ok").GetInt32());

        string[] stages =
        [
            "decode_visual", "decode_audio", "face_detection", "preprocess_visual", "preprocess_audio",
            "backbone_visual", "backbone_audio", "fusion", "publish", "total",
        ];
        var reported = streaming.GetProperty("stages");
        Assert.Equal(stages, reported.EnumerateObject().Select(p => p.Name));
        Assert.All(stages, stage =>
        {
            var s = reported.GetProperty(stage);
            Assert.True(s.GetProperty("median_ms").GetDouble() >= 0, stage);
            Assert.True(s.GetProperty("p99_ms").GetDouble() >= s.GetProperty("median_ms").GetDouble(), stage);
            Assert.True(s.GetProperty("mean_ms").GetDouble() >= 0, stage);
        });
        Assert.True(reported.GetProperty("backbone_visual").GetProperty("median_ms").GetDouble() > 0);
        Assert.True(reported.GetProperty("publish").GetProperty("median_ms").GetDouble() > 0);

        // Each clip runs each backbone once; a naive sliding window reruns the whole fusion window.
        var window = manifest.Window;
        Assert.Equal(window, streaming.GetProperty("naive_backbone_runs_per_output").GetInt32());
        foreach (var modality in manifest.Modalities)
        {
            Assert.Equal(1.0, streaming.GetProperty("backbone_runs_per_output").GetProperty(modality.Name).GetDouble());
            Assert.Equal(Math.Round(1.0 / window, 4), streaming.GetProperty("backbone_runs_vs_naive").GetProperty(modality.Name).GetDouble());
        }

        Assert.Equal(1.0, streaming.GetProperty("fusion_runs_per_output").GetDouble());
        var bytes = streaming.GetProperty("allocated_bytes_per_output").GetInt64();
        var parts = streaming.GetProperty("allocated_bytes_per_output_by_part");
        Assert.True(bytes > 0);
        Assert.Equal(bytes, parts.GetProperty("total").GetInt64());
        Assert.True(parts.GetProperty("sources").GetInt64() + parts.GetProperty("pipeline").GetInt64() + parts.GetProperty("publish").GetInt64() >= bytes - 2);
        Assert.True(parts.GetProperty("publish").GetInt64() > 0);
        foreach (var generation in new[] { "gen0", "gen1", "gen2" })
        {
            Assert.True(streaming.GetProperty("gc_collections").GetProperty(generation).GetInt32() >= 0);
        }

        Assert.True(streaming.GetProperty("peak_rss_bytes").GetInt64() > 0);
        Assert.Equal("cpu", streaming.GetProperty("providers").GetProperty("visual").GetString());
    }

    [Fact]
    public async Task Bench_takes_a_hop_and_prints_a_readable_report()
    {
        var (code, output, error) = await CliRunner.RunAsync(
            "bench", "--pack", TestPaths.Pack("pain-tiny"), "-n", "1", "--warmup", "0", "--hop", "8", "--seconds", "2", "--providers", "cpu");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("hop 8 frames", output, StringComparison.Ordinal);
        Assert.Contains("real-time factor", output, StringComparison.Ordinal);
        Assert.Contains("backbone_eda", output, StringComparison.Ordinal);
        Assert.Contains("naive sliding window: 5 each", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hop_that_breaks_the_fusion_spacing_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("bench", "--pack", TestPaths.Pack("affect-tiny"), "-n", "1", "--hop", "12", "--providers", "cpu");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("hop 12", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Bench_refuses_zero_iterations()
    {
        var (code, _, error) = await CliRunner.RunAsync("bench", "--pack", TestPaths.Pack("pain-tiny"), "-n", "0");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--iterations", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--seconds", "0", "--seconds")]
    [InlineData("--warmup-seconds", "-1", "--warmup-seconds")]
    [InlineData("--seconds", "1e9", "longer runs: --soak")]
    [InlineData("--soak", "10", "needs a unit")]
    [InlineData("--soak", "-5m", "not a positive number")]
    [InlineData("--sample-every", "0s", "not a positive number")]
    public async Task Bad_streaming_and_soak_arguments_are_usage_errors(string option, string value, string message)
    {
        string[] soak = option == "--sample-every" ? ["--soak", "1m"] : [];
        var (code, _, error) = await CliRunner.RunAsync(["bench", "--pack", TestPaths.Pack("pain-tiny"), option, value, .. soak]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_soak_samples_memory_and_every_queue_and_judges_them()
    {
        // Seconds cannot tell an RSS trend from warm-up, so the RSS limit is opened wide here (the
        // rule itself is tested on series in SoakVerdictTests); a queue that grew would still fail.
        var (code, output, error) = await CliRunner.RunAsync(
            "bench", "--pack", TestPaths.Pack("affect-tiny"), "--soak", "6s", "--sample-every", "0.25s",
            "--warmup-seconds", "2", "--max-rss-slope", "1000000", "--json", "--providers", "cpu");

        Assert.True(code is ExitCodes.Ok or ExitCodes.Failed, error + output);
        using var json = JsonDocument.Parse(output);
        var report = json.RootElement;
        Assert.True(report.GetProperty("real_time_factor").GetDouble() > 0);
        Assert.True(report.GetProperty("outputs").GetInt64() > 0);
        var samples = report.GetProperty("samples").EnumerateArray().ToList();

        // How many samples 6 s of wall time holds depends on how fast this machine scores (the
        // sampling is tested on a virtual clock in SoakRunTests): here the verdict must agree with them.
        var elapsed = samples.Select(s => s.GetProperty("elapsed_s").GetDouble()).ToList();
        Assert.InRange(samples.Count, 2, 26);
        Assert.Equal(elapsed.Distinct().Order(), elapsed);
        Assert.True(elapsed[^1] >= 6, $"the last sample came at {elapsed[^1]} s");
        var settled = elapsed.Count(e => e >= elapsed[^1] * 0.1);
        var problems = report.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToList();
        if (settled >= 6)
        {
            Assert.Equal(ExitCodes.Ok, code);
            Assert.True(report.GetProperty("passed").GetBoolean());
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal(ExitCodes.Failed, code);
            Assert.False(report.GetProperty("passed").GetBoolean());
            Assert.Equal([$"only {settled} samples after settling, 6 needed to see a trend: run longer or sample more often"], problems);
        }

        Assert.All(samples, s =>
        {
            Assert.True(s.GetProperty("rss_mb").GetDouble() > 0);
            Assert.True(s.GetProperty("managed_heap_mb").GetDouble() > 0);
            Assert.True(s.GetProperty("gc_committed_mb").GetDouble() >= 0); // known from the first GC on
        });
        string[] depths = ["video_slots", "pooled_crops", "feature_clips", "smoothing_values", "score_queue"];
        Assert.Equal(depths, samples[0].GetProperty("depths").EnumerateObject().Select(p => p.Name));
        Assert.Equal(depths, report.GetProperty("depth_slopes_per_hour").EnumerateObject().Select(p => p.Name));
        Assert.All(samples, s => Assert.Equal(0, s.GetProperty("depths").GetProperty("score_queue").GetInt64()));

        // Progress goes to stderr with --json, one line per sample.
        Assert.Equal(samples.Count, error.Split('\n').Count(l => l.StartsWith("soak ", StringComparison.Ordinal) && l.Contains("rss", StringComparison.Ordinal)));
    }
}
