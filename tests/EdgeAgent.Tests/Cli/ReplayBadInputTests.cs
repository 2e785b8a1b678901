using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary><c>edgeemo replay</c> on inputs that are broken or hold numbers that are not numbers.</summary>
public sealed class ReplayBadInputTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-replay-bad-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(folder, name);

    [Fact]
    public async Task A_float_wav_holding_nan_and_infinity_gives_valid_lines_with_audio_marked_invalid()
    {
        var samples = Enumerable.Range(0, 16000 * 6).Select(n => (float)(0.2 * Math.Sin(2 * Math.PI * 220 * n / 16000))).ToArray();
        samples[8000] = float.NaN;
        samples[20000] = float.PositiveInfinity;
        samples[30000] = float.NegativeInfinity;
        var wav = Path("nan.wav");
        await File.WriteAllBytesAsync(wav, FloatWav(samples, 16000));

        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.FaceVideo, "--audio", wav, "--out", Path("o.jsonl"));

        Assert.True(code == ExitCodes.Ok, error);
        var lines = await File.ReadAllLinesAsync(Path("o.jsonl"));
        Assert.NotEmpty(lines);
        var audio = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("modalities").GetProperty("audio").Clone()).ToList();
        Assert.Equal("invalid samples", audio[0].GetProperty("reason").GetString());
        Assert.Contains(audio, a => a.GetProperty("state").GetString() == "ok"); // once the segment has passed them
        Assert.DoesNotContain(lines, l => l.Contains("NaN", StringComparison.Ordinal) || l.Contains("Infinity", StringComparison.Ordinal));
    }

    public static TheoryData<string, byte[], string> BrokenWavs => new()
    {
        { "wrong magic", [.. "RIFX"u8, 0, 0, 0, 0, .. "WAVE"u8], "not a RIFF/WAVE file (it starts with 'RIFX')" },
        { "truncated RIFF", [.. "RIFF"u8, 0, 0], "not a RIFF/WAVE file (only 6 bytes)" },
        { "zero channels", PcmWav(channels: 0), "the 'fmt ' chunk says 0 channels" },
        { "no data", PcmWav(channels: 1)[..36], "no 'data' chunk" },
        { "rate no resampler takes", Wav(1, 1, 2_000_000_000, 16, new byte[64]), "cannot resample its 2000000000 Hz to 44100 Hz" },
    };

    [Theory]
    [MemberData(nameof(BrokenWavs))]
    public async Task A_broken_wav_header_is_one_line_naming_the_problem_and_fails_like_a_broken_video(string kind, byte[] bytes, string problem)
    {
        var wav = Path("broken.wav");
        await File.WriteAllBytesAsync(wav, bytes);

        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.FaceVideo, "--audio", wav, "--out", Path("b.jsonl"));
        var (videoCode, _, _) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.CorruptVideo, "--out", Path("v.jsonl"));

        Assert.Equal(videoCode, code);
        Assert.Equal(ExitCodes.Failed, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(line.StartsWith("error: audio file ", StringComparison.Ordinal) && line.Contains(problem, StringComparison.Ordinal), $"{kind}: {error}");
        Assert.False(File.Exists(Path("b.jsonl")));
    }

    [Fact]
    public async Task A_wav_whose_data_chunk_is_cut_short_is_replayed_with_a_one_line_warning()
    {
        var whole = FloatWav(new float[16000 * 2], 16000);
        var wav = Path("cut.wav");
        await File.WriteAllBytesAsync(wav, whole[..(44 + (16000 * 4))]); // the header still says 2 s

        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"),
            "--video", TestMedia.FaceVideo, "--audio", wav, "--out", Path("cut.jsonl"));

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains($"warning: audio file {wav}: the data chunk ends before its declared size; replaying the 1.00 s present", error, StringComparison.Ordinal);
    }

    private static byte[] FloatWav(float[] samples, int rate)
    {
        var data = new byte[samples.Length * 4];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), samples[i]);
        }

        return Wav(3, 1, rate, 32, data);
    }

    private static byte[] PcmWav(int channels) => Wav(1, channels, 16000, 16, new byte[64]);

    private static byte[] Wav(ushort tag, int channels, int rate, int bits, byte[] data)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.ASCII);
        writer.Write("RIFF"u8);
        writer.Write(36 + data.Length);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write(tag);
        writer.Write((ushort)channels);
        writer.Write(rate);
        writer.Write(rate * channels * bits / 8);
        writer.Write((ushort)(channels * bits / 8));
        writer.Write((ushort)bits);
        writer.Write("data"u8);
        writer.Write(data.Length);
        writer.Write(data);
        writer.Flush();
        return stream.ToArray();
    }
}
