using System.Buffers.Binary;
using System.Text;

namespace EdgeEmotion.Sensors.Tests.Replay;

/// <summary>Builds WAV files byte by byte, so the reader is tested against the format, not against itself.</summary>
internal static class TestWav
{
    public const ushort Pcm = 1;
    public const ushort IeeeFloat = 3;

    /// <summary>A canonical RIFF/WAVE: 'fmt ' (plain, or extensible with <paramref name="extensibleSubFormat"/>) then 'data'.</summary>
    public static byte[] Build(
        ushort formatTag,
        int channels,
        int sampleRate,
        int bits,
        byte[] data,
        ushort? extensibleSubFormat = null,
        uint? declaredDataSize = null,
        (string Id, byte[] Body)[]? chunksBeforeData = null)
    {
        var chunks = new List<(string, byte[])> { ("fmt ", Format(formatTag, channels, sampleRate, bits, extensibleSubFormat)) };
        chunks.AddRange(chunksBeforeData ?? []);
        return Riff(chunks, ("data", data), declaredDataSize);
    }

    /// <summary>RIFF/WAVE around the given chunks; the last one's size field may lie (<paramref name="declaredLastSize"/>).</summary>
    public static byte[] Riff(IEnumerable<(string Id, byte[] Body)> chunks, (string Id, byte[] Body)? last = null, uint? declaredLastSize = null)
    {
        using var stream = new MemoryStream();
        stream.Write("RIFF"u8);
        stream.Write(new byte[4]);
        stream.Write("WAVE"u8);
        foreach (var (id, body) in chunks)
        {
            WriteChunk(stream, id, body, (uint)body.Length);
        }

        if (last is { } final)
        {
            WriteChunk(stream, final.Id, final.Body, declaredLastSize ?? (uint)final.Body.Length);
        }

        var bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] Format(ushort formatTag, int channels, int sampleRate, int bits, ushort? extensibleSubFormat = null)
    {
        var body = new byte[extensibleSubFormat is null ? 16 : 40];
        var blockAlign = channels * bits / 8;
        BinaryPrimitives.WriteUInt16LittleEndian(body, extensibleSubFormat is null ? formatTag : (ushort)0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), (ushort)bits);
        if (extensibleSubFormat is { } sub)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(16), 22);  // cbSize
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(18), (ushort)bits);  // valid bits
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(20), channels == 2 ? 3u : 4u);  // speaker mask
            // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000xxxx-0000-0010-8000-00AA00389B71}
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(24), sub);
            byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            tail.CopyTo(body.AsSpan(26));
        }

        return body;
    }

    public static byte[] Int16(params short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        return bytes;
    }

    public static byte[] Int24(params int[] samples)
    {
        var bytes = new byte[samples.Length * 3];
        for (var i = 0; i < samples.Length; i++)
        {
            bytes[i * 3] = (byte)samples[i];
            bytes[(i * 3) + 1] = (byte)(samples[i] >> 8);
            bytes[(i * 3) + 2] = (byte)(samples[i] >> 16);
        }

        return bytes;
    }

    public static byte[] Int32(params int[] samples)
    {
        var bytes = new byte[samples.Length * 4];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), samples[i]);
        }

        return bytes;
    }

    public static byte[] Float32(params float[] samples)
    {
        var bytes = new byte[samples.Length * 4];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), samples[i]);
        }

        return bytes;
    }

    public static byte[] Float64(params double[] samples)
    {
        var bytes = new byte[samples.Length * 8];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), samples[i]);
        }

        return bytes;
    }

    private static void WriteChunk(Stream stream, string id, byte[] body, uint declaredSize)
    {
        stream.Write(Encoding.ASCII.GetBytes(id));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, declaredSize);
        stream.Write(size);
        stream.Write(body);
        if (body.Length % 2 == 1)
        {
            stream.WriteByte(0);  // RIFF pads chunks to even sizes
        }
    }
}

/// <summary>A temporary folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edgeemo-test-{Guid.NewGuid():N}");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
