using System.Globalization;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>The raw-waveform recipe: resampled from the source, the newest samples at the clip's end, left zero padded, normalised.</summary>
public sealed class WaveformStreamTests
{
    // torchaudio's Kaiser-windowed sinc with the runtime's parameters (rolloff 0.94, 32 zero
    // crossings, beta 8.6) over the whole recording at once, in float64; then the same segment
    // and normalisation as the runtime, from the same float32 samples.
    private const string Reference = """
        import sys, numpy as np, torch, torchaudio.functional as F
        source, rate, out_rate, end, n, norm, out = sys.argv[1:8]
        x = torch.from_numpy(np.fromfile(source, dtype=np.float32).astype(np.float64))[None]
        y = F.resample(x, int(rate), int(out_rate), lowpass_filter_width=32, rolloff=0.94,
                       resampling_method="kaiser_window", beta=8.6)[0].numpy()
        end, n = int(end), int(n)
        segment = np.concatenate([np.zeros(max(0, n - end)), y[max(0, end - n):end]])
        if norm == "zscore":
            segment = (segment - segment.mean()) / np.sqrt(segment.var() + 1e-7)
        elif norm == "peak":
            peak = np.abs(segment).max()
            segment = segment / peak if peak > 0 else segment
        segment.astype(np.float32).tofile(out)
        """;

    [Theory]
    [InlineData("none", 1.5)]
    [InlineData("zscore", 1.5)]
    [InlineData("peak", 1.5)]
    [InlineData("none", 0.25)] // the stream began 0.25 s before the clip's end: 4000 zeros first
    [InlineData("zscore", 0.25)]
    public async Task The_segment_matches_torchaudio_resampling_of_the_same_samples(string normalization, double clipEnd)
    {
        var spec = Stream(16000, 8000, normalization);
        using var track = new AudioTrack("audio", [spec], new StreamingOptions());
        var blocks = PipelineHarness.Speech(0, 2, rate: 44100).ToList();
        foreach (var block in blocks)
        {
            track.Push(block);
        }

        var end = TimeSpan.FromSeconds(clipEnd);
        Assert.Null(track.Judge(0, end));
        var input = new float[8000];
        track.WriteInput(0, input);

        var expected = await ReferenceAsync(blocks.SelectMany(b => b.Samples.ToArray()).ToArray(), 44100, 16000, (int)Math.Round(clipEnd * 16000), 8000, normalization);

        // The same filter; they differ in arithmetic only (the runtime's float32 taps and sums,
        // torchaudio's float64): measured 0.4-1.4e-6 for every case here. 1e-5 leaves room for
        // other CPUs' vector widths and stays under one step of 16-bit audio (3.05e-5), the
        // finest any microphone here delivers.
        var worst = Enumerable.Range(0, 8000).Max(i => Math.Abs(input[i] - expected[i]));
        Assert.True(worst < 1e-5, $"max |runtime - torchaudio| = {worst:E2}");
        if (clipEnd < 0.5 && normalization == "none")
        {
            Assert.All(input[..4000], x => Assert.Equal(0, x));
        }
    }

    [Fact]
    public void Silence_substitutes_as_zeros_whatever_the_normalisation()
    {
        foreach (var normalization in new[] { "none", "zscore", "peak" })
        {
            using var track = new AudioTrack("audio", [Stream(16000, 800, normalization)], new StreamingOptions());
            var input = Enumerable.Repeat(7f, 800).ToArray();

            track.WriteSubstitute(0, input);

            Assert.All(input, x => Assert.Equal(0, x));
        }
    }

    [Fact]
    public void Normalisation_zscore_and_peak_by_hand()
    {
        float[] segment = [1, -3, 2, 0];
        var zscore = new float[4];
        var peak = new float[4];

        new WaveformNormalizer(Stream(16000, 4, "zscore").Waveform!).Normalize(segment, zscore);
        new WaveformNormalizer(Stream(16000, 4, "peak").Waveform!).Normalize(segment, peak);

        // mean 0, population variance (1 + 9 + 4 + 0) / 4 = 3.5
        var scale = 1 / Math.Sqrt(3.5 + 1e-7);
        Assert.Equal([(float)(1 * scale), (float)(-3 * scale), (float)(2 * scale), 0f], zscore);
        Assert.Equal([1 / 3f, -1f, 2 / 3f, 0f], peak);
    }

    [Fact]
    public void Two_audio_streams_at_different_rates_read_one_source_judged_once()
    {
        var logmel = new StreamSpec
        {
            Name = "audio_logmel",
            Recipe = StreamRecipes.LogMel,
            Backbone = Backbone(),
            Logmel = ManifestReader.ReadFile(Path.Combine(TestPaths.Pack("affect-tiny"), "manifest.json")).FindModality("audio")!.Audio,
        };
        using var track = new AudioTrack("audio", [logmel, Stream(16000, 8000, "none")], new StreamingOptions());

        // Half a second of sound, then silence. The clip ending at 1.2 s is judged on the first
        // (log-mel, 44.1 kHz) stream's 1.03 s, which holds sound: the modality is ok, and the
        // waveform stream (16 kHz) takes its own half second, silent, with no verdict of its own.
        foreach (var block in PipelineHarness.Speech(0, 0.5).Concat(PipelineHarness.Speech(0.5, 2.5, level: 0)))
        {
            track.Push(block);
        }

        Assert.Null(track.Judge(0, TimeSpan.FromSeconds(1.2)));
        var wave = new float[8000];
        track.WriteInput(1, wave);
        Assert.All(wave, x => Assert.True(Math.Abs(x) < 1e-3, $"{x}"));
        Assert.Equal(MissingReasons.Silent, track.Judge(1, TimeSpan.FromSeconds(2.5)));
    }

    private static StreamSpec Stream(int rate, int samples, string normalization) => new()
    {
        Name = "audio_wave",
        Recipe = StreamRecipes.Waveform,
        Backbone = Backbone(),
        Waveform = new WaveformSpec { SampleRate = rate, Samples = samples, Padding = "left-zero", Normalization = normalization },
    };

    private static ModelFileSpec Backbone() => new() { File = "unused.onnx", Inputs = [], Outputs = [] };

    private static async Task<float[]> ReferenceAsync(float[] source, int rate, int outRate, int end, int n, string normalization)
    {
        var input = Path.GetTempFileName();
        var output = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(input, System.Runtime.InteropServices.MemoryMarshal.AsBytes(source.AsSpan()).ToArray());
            var (code, _, stderr) = await PythonScript.RunAsync("-c", Reference, input,
                rate.ToString(CultureInfo.InvariantCulture), outRate.ToString(CultureInfo.InvariantCulture),
                end.ToString(CultureInfo.InvariantCulture), n.ToString(CultureInfo.InvariantCulture), normalization, output);
            Assert.True(code == 0, stderr);
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(output)).ToArray();
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }
}
