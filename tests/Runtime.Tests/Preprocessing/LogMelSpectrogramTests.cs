using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Tests;
using Xunit.Abstractions;

namespace EdgeEmotion.Runtime.Tests.Preprocessing;

/// <summary>The C# log-mel against torchaudio's, through the pack's golden waveforms.</summary>
public sealed class LogMelSpectrogramTests(ITestOutputHelper output)
{
    private static string PackDirectory => TestPaths.Pack("affect-tiny");

    private static PackManifest Manifest() => ManifestReader.ReadFile(Path.Combine(PackDirectory, ManifestReader.FileName));

    private static AudioSpec Spec() => Manifest().FindModality("audio")!.Audio!;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Matches_the_torchaudio_golden_log_mel(int index)
    {
        var golden = Manifest().Golden;
        var goldenCase = golden.Logmel![index];
        var waveform = NpyArray.Read(Path.Combine(PackDirectory, goldenCase.Waveform));
        var expected = NpyArray.Read(Path.Combine(PackDirectory, goldenCase.Expected));
        var logMel = new LogMelSpectrogram(Spec());
        var actual = new float[logMel.OutputLength];

        logMel.Compute(waveform.Data, actual);

        Assert.Equal(goldenCase.SampleRate, logMel.SampleRate);
        Assert.Equal([1L, logMel.MelBands, logMel.Frames], expected.Shape);
        var (error, at) = MaxAbsError(expected.Data, actual);
        var tolerance = golden.LogmelTolerance!.Value;
        var report = $"logmel[{index}]: max abs error {error:E3} at mel {at / logMel.Frames}, frame {at % logMel.Frames} (tolerance {tolerance:E0})";
        output.WriteLine(report);
        Assert.True(error <= tolerance, report);
    }

    [Fact]
    public void Reproduces_the_audio_backbones_golden_input()
    {
        // The golden case for the audio backbone feeds it the log-mel of logmel[0]'s waveform.
        var manifest = Manifest();
        var waveform = NpyArray.Read(Path.Combine(PackDirectory, manifest.Golden.Logmel![0].Waveform));
        var backboneInput = NpyArray.Read(Path.Combine(PackDirectory, manifest.Golden.Cases.Single(c => c.Model == "audio").Inputs["logmel"]));
        var logMel = new LogMelSpectrogram(Spec());
        var actual = new float[logMel.OutputLength];

        logMel.Compute(waveform.Data, actual);

        Assert.Equal(manifest.FindModality("audio")!.Backbone!.Inputs[0].Shape, backboneInput.Shape);
        var (error, _) = MaxAbsError(backboneInput.Data, actual);
        Assert.True(error <= manifest.Golden.LogmelTolerance!.Value, $"max abs error {error:E3}");
    }

    [Fact]
    public void Output_shape_is_the_backbone_input()
    {
        var manifest = Manifest();
        var logMel = new LogMelSpectrogram(Spec());

        Assert.Equal(104, logMel.Frames);
        Assert.Equal(64, logMel.MelBands);
        Assert.Equal(manifest.FindModality("audio")!.Backbone!.Inputs[0].ElementCount, logMel.OutputLength);
    }

    [Fact]
    public void Silence_gives_the_documented_constant()
    {
        var spec = Spec();
        var logMel = new LogMelSpectrogram(spec);
        var actual = new float[logMel.OutputLength];

        logMel.Compute(new float[logMel.SegmentSamples], actual);

        var constant = ((spec.DbMultiplier * Math.Log10(spec.Amin)) + spec.NormOffset) / spec.NormScale;
        Assert.Equal(-4.2825, constant, 4);
        Assert.All(actual, v => Assert.Equal(constant, v, 5));
    }

    [Fact]
    public void Compute_allocates_nothing()
    {
        var logMel = new LogMelSpectrogram(Spec());
        var segment = new float[logMel.SegmentSamples];
        var random = new Random(7);
        for (var i = 0; i < segment.Length; i++)
        {
            segment[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var destination = new float[logMel.OutputLength];
        logMel.Compute(segment, destination);  // warm-up: JIT and first-call work
        logMel.Compute(segment, destination);

        var before = GC.GetAllocatedBytesForCurrentThread();
        logMel.Compute(segment, destination);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_tone_lights_the_band_that_holds_its_frequency()
    {
        var spec = Spec();
        var logMel = new LogMelSpectrogram(spec);
        var segment = new float[logMel.SegmentSamples];
        for (var n = 0; n < segment.Length; n++)
        {
            segment[n] = (float)(0.5 * Math.Sin(2 * Math.PI * 1000.0 * n / spec.SampleRate));
        }

        var destination = new float[logMel.OutputLength];
        logMel.Compute(segment, destination);

        // HTK band edges: the band whose peak is nearest 1 kHz must be the loudest in a middle frame.
        static double Mel(double hz) => 2595 * Math.Log10(1 + (hz / 700));
        var step = Mel(spec.FMax!.Value) / (spec.NMels + 1);
        var expectedBand = (int)Math.Round(Mel(1000) / step) - 1;
        var frame = logMel.Frames / 2;
        var loudest = Enumerable.Range(0, logMel.MelBands).MaxBy(m => destination[(m * logMel.Frames) + frame]);
        Assert.Equal(expectedBand, loudest);
    }

    [Fact]
    public void Rejects_a_segment_of_the_wrong_length()
    {
        var logMel = new LogMelSpectrogram(Spec());

        var e = Assert.Throws<ArgumentException>(() => logMel.Compute(new float[100], new float[logMel.OutputLength]));

        Assert.Contains("45599", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<AudioSpec, AudioSpec>> UnsupportedSpecs => new()
    {
        { "audio.nFft", s => s with { NFft = 1000 } },
        { "audio.winLength", s => s with { WinLength = 2048 } },
        { "audio.hopLength", s => s with { HopLength = 0 } },
        { "audio.window", s => s with { Window = "hamming" } },
        { "audio.padMode", s => s with { PadMode = "constant" } },
        { "audio.melScale", s => s with { MelScale = "slaney" } },
        { "audio.melNorm", s => s with { MelNorm = "slaney" } },
        { "audio.fMax", s => s with { FMax = 30000 } },
        { "audio.amin", s => s with { Amin = 0 } },
        { "audio.normScale", s => s with { NormScale = 0 } },
        { "audio.segmentSamples", s => s with { SegmentSamples = 100 } },
    };

    [Theory]
    [MemberData(nameof(UnsupportedSpecs))]
    public void Rejects_a_spec_it_cannot_honour_naming_the_field(string field, Func<AudioSpec, AudioSpec> change)
    {
        var e = Assert.Throws<ArgumentException>(() => new LogMelSpectrogram(change(Spec())));

        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    private static (double Error, int Index) MaxAbsError(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var (error, index) = (0.0, 0);
        for (var i = 0; i < expected.Length; i++)
        {
            var e = Math.Abs((double)expected[i] - actual[i]);
            if (e > error)
            {
                (error, index) = (e, i);
            }
        }

        return (error, index);
    }
}
