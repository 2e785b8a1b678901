using System.Buffers.Binary;
using System.Diagnostics;
using EdgeEmotion.Sensors.Replay;

namespace EdgeEmotion.Sensors.Tests.Replay;

public sealed class WavFileTests
{
    [Fact]
    public void Reads_16_bit_mono_exactly()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("mono16.wav", TestWav.Build(TestWav.Pcm, 1, 16000, 16, TestWav.Int16(0, 16384, -32768, 32767, -1)));

        var wav = WavFile.Read(path);

        Assert.Equal(16000, wav.SampleRate);
        Assert.Equal(1, wav.Channels);
        Assert.Equal(16, wav.BitsPerSample);
        Assert.Equal(WavSampleFormat.Pcm, wav.SampleFormat);
        Assert.False(wav.Truncated);
        Assert.Equal([0f, 0.5f, -1f, 32767 / 32768f, -1 / 32768f], wav.Samples.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(5 / 16000.0), wav.Duration);
    }

    [Fact]
    public void Reads_24_bit_stereo_as_the_channel_average()
    {
        int[] interleaved = [8388607, -8388608, 4194304, 4194304, -1, 1, 100, -300];
        var bytes = TestWav.Build(TestWav.Pcm, 2, 48000, 24, TestWav.Int24(interleaved));

        var wav = WavFile.Parse(bytes, "stereo24.wav");

        Assert.Equal(2, wav.Channels);
        Assert.Equal(24, wav.BitsPerSample);
        var expected = Enumerable.Range(0, 4)
            .Select(f => (float)((interleaved[2 * f] / 8388608.0 + (interleaved[(2 * f) + 1] / 8388608.0)) / 2))
            .ToArray();
        Assert.Equal(expected, wav.Samples.ToArray());
        Assert.Equal(0.5f, wav.Samples.Span[1]);
    }

    [Fact]
    public void Reads_8_and_32_bit_PCM()
    {
        var eight = WavFile.Parse(TestWav.Build(TestWav.Pcm, 1, 8000, 8, [0, 128, 192, 255]), "u8.wav");
        var thirtyTwo = WavFile.Parse(TestWav.Build(TestWav.Pcm, 1, 8000, 32, TestWav.Int32(int.MinValue, 1 << 30, 0)), "s32.wav");

        Assert.Equal([-1f, 0f, 0.5f, 127 / 128f], eight.Samples.ToArray());
        Assert.Equal([-1f, 0.5f, 0f], thirtyTwo.Samples.ToArray());
    }

    [Fact]
    public void Reads_IEEE_float_32_and_64_bit_exactly()
    {
        float[] samples = [0.125f, -0.999f, 1.5f, 3.14159e-5f];
        var f32 = WavFile.Parse(TestWav.Build(TestWav.IeeeFloat, 1, 44100, 32, TestWav.Float32(samples)), "f32.wav");
        var f64 = WavFile.Parse(TestWav.Build(TestWav.IeeeFloat, 1, 44100, 64, TestWav.Float64([.. samples.Select(s => (double)s)])), "f64.wav");

        Assert.Equal(WavSampleFormat.IeeeFloat, f32.SampleFormat);
        Assert.Equal(samples, f32.Samples.ToArray());  // unclipped: 1.5 stays 1.5
        Assert.Equal(samples, f64.Samples.ToArray());
    }

    [Fact]
    public void Reads_WAVE_FORMAT_EXTENSIBLE()
    {
        var pcm = WavFile.Parse(TestWav.Build(TestWav.Pcm, 2, 48000, 16, TestWav.Int16(16384, 0, -16384, -16384), extensibleSubFormat: TestWav.Pcm), "ext16.wav");
        var flt = WavFile.Parse(TestWav.Build(TestWav.Pcm, 1, 48000, 32, TestWav.Float32(0.25f, -0.75f), extensibleSubFormat: TestWav.IeeeFloat), "extf.wav");

        Assert.True(pcm.IsExtensible);
        Assert.Equal([0.25f, -0.5f], pcm.Samples.ToArray());
        Assert.Equal(WavSampleFormat.IeeeFloat, flt.SampleFormat);
        Assert.Equal([0.25f, -0.75f], flt.Samples.ToArray());
    }

    [Fact]
    public void Skips_other_chunks_including_odd_sized_ones()
    {
        var bytes = TestWav.Build(TestWav.Pcm, 1, 16000, 16, TestWav.Int16(100, -100),
            chunksBeforeData: [("LIST", [1, 2, 3]), ("fact", [4, 0, 0, 0])]);

        var wav = WavFile.Parse(bytes, "chunks.wav");

        Assert.Equal([100 / 32768f, -100 / 32768f], wav.Samples.ToArray());
    }

    [Fact]
    public void A_data_chunk_cut_short_is_read_as_far_as_it_goes_and_flagged()
    {
        var bytes = TestWav.Build(TestWav.Pcm, 2, 16000, 16, TestWav.Int16(1000, 3000, 5000, 7000, 9000), declaredDataSize: 4000);

        var wav = WavFile.Parse(bytes, "cut.wav");

        Assert.True(wav.Truncated);
        Assert.Equal([2000 / 32768f, 6000 / 32768f], wav.Samples.ToArray());  // the half frame is dropped
    }

    [Fact]
    public void An_unknown_data_size_means_to_the_end_of_the_file()
    {
        var bytes = TestWav.Build(TestWav.Pcm, 1, 16000, 16, TestWav.Int16(1, 2, 3), declaredDataSize: 0xFFFFFFFF);

        var wav = WavFile.Parse(bytes, "stream.wav");

        Assert.False(wav.Truncated);
        Assert.Equal(3, wav.Samples.Length);
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "not RIFF", "ID3\u0003 this is an mp3 really"u8.ToArray(), "not a RIFF/WAVE file (it starts with 'ID3\\x03')" },
        { "RIFF but not WAVE", [.. "RIFF"u8, 4, 0, 0, 0, .. "AVI "u8], "not a RIFF/WAVE file (its RIFF form type is 'AVI ')" },
        { "too short", [.. "RIFF"u8], "not a RIFF/WAVE file (only 4 bytes)" },
        { "no fmt", TestWav.Riff([("LIST", new byte[4])]), "no 'fmt ' chunk" },
        { "no data", TestWav.Riff([("fmt ", TestWav.Format(TestWav.Pcm, 1, 16000, 16))]), "no 'data' chunk" },
        { "data before fmt", TestWav.Riff([("data", new byte[4]), ("fmt ", TestWav.Format(TestWav.Pcm, 1, 16000, 16))]), "'data' chunk at byte 12 comes before the 'fmt ' chunk" },
        { "short fmt", TestWav.Riff([("fmt ", new byte[14])], ("data", new byte[2])), "'fmt ' chunk at byte 12 is 14 bytes; at least 16 are needed" },
        { "ADPCM", TestWav.Build(2, 1, 16000, 4, new byte[4]), "unsupported format tag 0x0002" },
        { "extensible ADPCM", TestWav.Build(TestWav.Pcm, 1, 16000, 16, new byte[4], extensibleSubFormat: 2), "unsupported format tag 0x0002 (in WAVE_FORMAT_EXTENSIBLE)" },
        { "12-bit PCM", TestWav.Build(TestWav.Pcm, 1, 16000, 12, new byte[4]), "unsupported bit depth 12 for PCM" },
        { "16-bit float", TestWav.Build(TestWav.IeeeFloat, 1, 16000, 16, new byte[4]), "unsupported bit depth 16 for IEEE float" },
        { "zero channels", TestWav.Build(TestWav.Pcm, 0, 16000, 16, new byte[4]), "0 channels" },
        { "zero rate", TestWav.Build(TestWav.Pcm, 1, 0, 16, new byte[4]), "sample rate 0 Hz" },
        { "chunk past the end", TestWav.Riff([("fmt ", TestWav.Format(TestWav.Pcm, 1, 16000, 16))], ("LIST", new byte[2]), 1000), "'LIST' chunk at byte 36 declares 1000 bytes but only 2 follow" },
        { "cut inside fmt", TestWav.Build(TestWav.Pcm, 1, 16000, 16, new byte[4])[..26], "'fmt ' chunk at byte 12 declares 16 bytes but only 6 follow" },
        { "zero block align", WithFormat(TestWav.Format(TestWav.Pcm, 2, 16000, 16), blockAlign: 0), "block align 0 does not match 2 channels x 16 bits" },
        { "huge block align", WithFormat(TestWav.Format(TestWav.Pcm, 2, 16000, 16), blockAlign: 65535), "block align 65535 does not match 2 channels x 16 bits" },
        { "bits disagree with block align", WithFormat(TestWav.Format(TestWav.Pcm, 1, 16000, 16), bits: 24), "block align 2 does not match 1 channels x 24 bits" },
        { "zero bits", WithFormat(TestWav.Format(TestWav.Pcm, 1, 16000, 16), bits: 0), "unsupported bit depth 0 for PCM" },
        { "huge rate", WithFormat(TestWav.Format(TestWav.Pcm, 1, 16000, 16), sampleRate: uint.MaxValue), "sample rate 4294967295 Hz is not usable" },
        { "short extensible fmt", TestWav.Riff([("fmt ", TestWav.Format(TestWav.Pcm, 1, 16000, 16, extensibleSubFormat: 1)[..24])], ("data", new byte[2])), "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk at byte 12 is 24 bytes; 40 are needed" },
        { "extensible with a foreign GUID", WithSubFormatGuid(TestWav.Format(TestWav.Pcm, 1, 16000, 16, extensibleSubFormat: 1)), "unsupported WAVE_FORMAT_EXTENSIBLE sub-format" },
        { "no whole frame", TestWav.Build(TestWav.Pcm, 2, 16000, 16, new byte[3]), "the 'data' chunk holds no whole frame (3 bytes; a frame is 4)" },
    };

    // A canonical fmt chunk with one field changed, then a small data chunk.
    private static byte[] WithFormat(byte[] format, ushort? blockAlign = null, ushort? bits = null, uint? sampleRate = null)
    {
        if (blockAlign is { } align)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(format.AsSpan(12), align);
        }

        if (bits is { } b)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(format.AsSpan(14), b);
        }

        if (sampleRate is { } rate)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(format.AsSpan(4), rate);
        }

        return TestWav.Riff([("fmt ", format)], ("data", new byte[8]));
    }

    private static byte[] WithSubFormatGuid(byte[] format)
    {
        format[30] = 0x42; // the GUID's tail no longer says KSDATAFORMAT_SUBTYPE
        return TestWav.Riff([("fmt ", format)], ("data", new byte[8]));
    }

    [Fact]
    public void An_odd_sized_chunk_written_without_its_pad_byte_is_still_followed()
    {
        // Some writers leave out the pad byte after an odd-sized chunk.
        var bytes = TestWav.Riff([("fmt ", TestWav.Format(TestWav.Pcm, 1, 16000, 16))]);
        bytes = [.. bytes, .. "LIST"u8, 3, 0, 0, 0, 1, 2, 3, .. "data"u8, 4, 0, 0, 0, 1, 0, 2, 0];

        var wav = WavFile.Parse(bytes, "unpadded.wav");

        Assert.Equal(2, wav.Samples.Length);
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_named_with_what_is_wrong(string caseName, byte[] bytes, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("bad.wav", bytes);

        var e = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));

        Assert.True(e.Message.StartsWith(path + ": ", StringComparison.Ordinal) && e.Message.Contains(problem, StringComparison.Ordinal), $"{caseName}: {e.Message}");
    }

    [Fact]
    public async Task Reads_a_real_espeak_ng_recording()
    {
        using var dir = new TempDirectory();
        var path = dir.File("speech.wav");
        await Espeak.SayAsync("The quick brown fox jumps over the lazy dog.", path);

        var wav = await WavFile.ReadAsync(path, CancellationToken.None);

        Assert.Equal(22050, wav.SampleRate);
        Assert.Equal(1, wav.Channels);
        Assert.Equal(16, wav.BitsPerSample);
        Assert.False(wav.Truncated);
        Assert.InRange(wav.Duration, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));
        Assert.Equal((new FileInfo(path).Length - 44) / 2, wav.Samples.Length);  // espeak-ng writes the canonical 44-byte header
        var peak = wav.Samples.ToArray().Max(Math.Abs);
        Assert.InRange(peak, 0.05f, 1f);
    }
}

/// <summary>Speech from the installed espeak-ng.</summary>
internal static class Espeak
{
    public static async Task SayAsync(string text, string wavPath)
    {
        var start = new ProcessStartInfo("espeak-ng") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-w");
        start.ArgumentList.Add(wavPath);
        start.ArgumentList.Add(text);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("espeak-ng did not start");
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"espeak-ng exited with {process.ExitCode}: {stderr}");
    }
}
