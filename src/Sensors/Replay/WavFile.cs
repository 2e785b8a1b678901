using System.Buffers.Binary;
using System.Text;

namespace EdgeEmotion.Sensors.Replay;

/// <summary>Integer PCM or IEEE floating-point samples.</summary>
public enum WavSampleFormat
{
    Pcm,
    IeeeFloat,
}

/// <summary>
/// A RIFF/WAVE file read whole into memory and mixed to mono floats in [-1, 1]: PCM 8 (unsigned),
/// 16, 24 and 32 bits, IEEE float 32 and 64 bits, plain or WAVE_FORMAT_EXTENSIBLE, any number of
/// channels (averaged). Chunks other than 'fmt ' and 'data' are skipped. A data chunk shorter
/// than its header says (a recording cut off) is read as far as it goes and flagged
/// <see cref="Truncated"/>; a size of 0xFFFFFFFF (written by streaming tools) means "to the end
/// of the file". Float samples are passed through unclipped (NaN and infinity included: the
/// pipeline counts them as invalid samples). A pad byte missing after an odd-sized chunk is
/// tolerated; a data chunk without one whole frame is an error.
/// </summary>
public sealed class WavFile
{
    private const ushort TagPcm = 0x0001;
    private const ushort TagIeeeFloat = 0x0003;
    private const ushort TagExtensible = 0xFFFE;
    private const uint UnknownLength = 0xFFFFFFFF;

    // The KSDATAFORMAT_SUBTYPE GUIDs differ from the base GUID only in their first two bytes (the tag).
    private static ReadOnlySpan<byte> SubFormatGuidTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private readonly float[] samples;

    private WavFile(string name, Format format, float[] samples, bool truncated)
    {
        Name = name;
        SampleRate = format.SampleRate;
        Channels = format.Channels;
        BitsPerSample = format.BitsPerSample;
        SampleFormat = format.SampleFormat;
        IsExtensible = format.IsExtensible;
        this.samples = samples;
        Truncated = truncated;
    }

    /// <summary>The path (or name) the file was read from, as used in messages.</summary>
    public string Name { get; }

    public int SampleRate { get; }

    /// <summary>Channels in the file; <see cref="Samples"/> is their average.</summary>
    public int Channels { get; }

    /// <summary>Bits per sample of the container (24 for 20-in-24-bit extensible data).</summary>
    public int BitsPerSample { get; }

    public WavSampleFormat SampleFormat { get; }

    /// <summary>True when the format chunk was WAVE_FORMAT_EXTENSIBLE.</summary>
    public bool IsExtensible { get; }

    /// <summary>The mono samples, full scale +-1.</summary>
    public ReadOnlyMemory<float> Samples => samples;

    /// <summary>The data chunk ended before its declared size or mid-frame; <see cref="Samples"/> holds the whole frames present.</summary>
    public bool Truncated { get; }

    public TimeSpan Duration => TimeSpan.FromSeconds((double)samples.Length / SampleRate);

    /// <exception cref="InvalidDataException">The file is not a WAV this reader handles; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WavFile Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <inheritdoc cref="Read(string)"/>
    public static async Task<WavFile> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, path);
    }

    /// <summary>Parses WAV bytes; <paramref name="name"/> names them in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a WAV this reader handles.</exception>
    public static WavFile Parse(ReadOnlySpan<byte> bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8))
        {
            var start = Encoding.Latin1.GetString(bytes[..Math.Min(4, bytes.Length)]);
            var hint = start switch
            {
                "RF64" => "RF64 (64-bit WAV) is not supported",
                "RIFF" when bytes.Length >= 12 => $"its RIFF form type is '{Printable(Encoding.Latin1.GetString(bytes[8..12]))}'",
                "RIFF" => $"only {bytes.Length} bytes",
                _ => $"it starts with '{Printable(start)}'",
            };
            throw new InvalidDataException($"{name}: not a RIFF/WAVE file ({hint})");
        }

        Format? format = null;
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var id = Encoding.Latin1.GetString(bytes.Slice(position, 4));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(position + 4)..]);
            var body = position + 8;
            var available = bytes.Length - body;
            if (id == "data")
            {
                if (format is null)
                {
                    throw new InvalidDataException($"{name}: 'data' chunk at byte {position} comes before the 'fmt ' chunk");
                }

                var truncated = size != UnknownLength && size > available;
                var length = size == UnknownLength || size > available ? available : (int)size;
                return Decode(name, format, bytes.Slice(body, length), truncated);
            }

            if (size > available)
            {
                throw new InvalidDataException($"{name}: '{Printable(id)}' chunk at byte {position} declares {size} bytes but only {available} follow, and no 'data' chunk came before it");
            }

            if (id == "fmt ")
            {
                format = ParseFormat(name, bytes.Slice(body, (int)size), position);
            }

            position = NextChunk(bytes, body, (int)size);
        }

        throw new InvalidDataException($"{name}: {(format is null ? "no 'fmt ' chunk" : "no 'data' chunk")}");
    }

    // Chunks are padded to even sizes; some writers leave the pad byte out after an odd one, which
    // shows when a known chunk id starts right after the body instead of one byte later.
    private static int NextChunk(ReadOnlySpan<byte> bytes, int body, int size)
    {
        var end = body + size;
        if ((size & 1) == 0)
        {
            return end;
        }

        var unpadded = end + 4 <= bytes.Length && IsKnownChunk(bytes.Slice(end, 4));
        var padded = end + 5 <= bytes.Length && IsKnownChunk(bytes.Slice(end + 1, 4));
        return unpadded && !padded ? end : end + 1;
    }

    private static bool IsKnownChunk(ReadOnlySpan<byte> id) =>
        id.SequenceEqual("data"u8) || id.SequenceEqual("fmt "u8) || id.SequenceEqual("LIST"u8) || id.SequenceEqual("fact"u8);

    private static Format ParseFormat(string name, ReadOnlySpan<byte> chunk, int offset)
    {
        if (chunk.Length < 16)
        {
            throw new InvalidDataException($"{name}: 'fmt ' chunk at byte {offset} is {chunk.Length} bytes; at least 16 are needed");
        }

        var tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
        var extensible = tag == TagExtensible;
        if (extensible)
        {
            if (chunk.Length < 40)
            {
                throw new InvalidDataException($"{name}: WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk at byte {offset} is {chunk.Length} bytes; 40 are needed");
            }

            var subFormat = chunk.Slice(24, 16);
            if (!subFormat[2..].SequenceEqual(SubFormatGuidTail))
            {
                throw new InvalidDataException($"{name}: unsupported WAVE_FORMAT_EXTENSIBLE sub-format {Convert.ToHexString(subFormat)}");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }

        var sampleFormat = tag switch
        {
            TagPcm => WavSampleFormat.Pcm,
            TagIeeeFloat => WavSampleFormat.IeeeFloat,
            _ => throw new InvalidDataException($"{name}: unsupported format tag 0x{tag:X4}{(extensible ? " (in WAVE_FORMAT_EXTENSIBLE)" : "")}; only PCM (1), IEEE float (3) and extensible (0xFFFE) are read"),
        };
        var supported = sampleFormat == WavSampleFormat.Pcm ? bits is 8 or 16 or 24 or 32 : bits is 32 or 64;
        if (!supported)
        {
            throw new InvalidDataException($"{name}: unsupported bit depth {bits} for {(sampleFormat == WavSampleFormat.Pcm ? "PCM (8, 16, 24 or 32)" : "IEEE float (32 or 64)")}");
        }

        if (channels == 0)
        {
            throw new InvalidDataException($"{name}: the 'fmt ' chunk says 0 channels");
        }

        if (sampleRate == 0 || sampleRate > int.MaxValue)
        {
            throw new InvalidDataException($"{name}: sample rate {sampleRate} Hz is not usable");
        }

        if (blockAlign != channels * (bits / 8))
        {
            throw new InvalidDataException($"{name}: block align {blockAlign} does not match {channels} channels x {bits} bits");
        }

        return new Format(sampleFormat, channels, (int)sampleRate, bits, extensible);
    }

    private static WavFile Decode(string name, Format format, ReadOnlySpan<byte> data, bool truncated)
    {
        var bytesPerSample = format.BitsPerSample / 8;
        var frameBytes = bytesPerSample * format.Channels;
        var frames = data.Length / frameBytes;
        if (frames == 0)
        {
            throw new InvalidDataException($"{name}: the 'data' chunk holds no whole frame ({data.Length} bytes; a frame is {frameBytes})");
        }

        var mono = new float[frames];
        var reader = SampleReader(format);
        for (var f = 0; f < frames; f++)
        {
            var frame = data.Slice(f * frameBytes, frameBytes);
            var sum = 0.0;
            for (var c = 0; c < format.Channels; c++)
            {
                sum += reader(frame.Slice(c * bytesPerSample, bytesPerSample));
            }

            mono[f] = (float)(sum / format.Channels);
        }

        return new WavFile(name, format, mono, truncated || data.Length % frameBytes != 0);
    }

    private delegate double ReadSample(ReadOnlySpan<byte> bytes);

    /// <summary>Decoder of one little-endian sample to full scale +-1 (integers divided by 2^(bits-1)).</summary>
    private static ReadSample SampleReader(Format format) => (format.SampleFormat, format.BitsPerSample) switch
    {
        (WavSampleFormat.Pcm, 8) => b => (b[0] - 128) / 128.0,
        (WavSampleFormat.Pcm, 16) => b => BinaryPrimitives.ReadInt16LittleEndian(b) / 32768.0,
        (WavSampleFormat.Pcm, 24) => b => (((b[0] << 8) | (b[1] << 16) | (b[2] << 24)) >> 8) / 8388608.0,
        (WavSampleFormat.Pcm, 32) => b => BinaryPrimitives.ReadInt32LittleEndian(b) / 2147483648.0,
        (WavSampleFormat.IeeeFloat, 32) => b => BinaryPrimitives.ReadSingleLittleEndian(b),
        (WavSampleFormat.IeeeFloat, 64) => b => BinaryPrimitives.ReadDoubleLittleEndian(b),
        _ => throw new InvalidOperationException($"no decoder for {format.SampleFormat} {format.BitsPerSample}-bit"),
    };

    private static string Printable(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\x{(int)c:X2}"));

    private sealed record Format(WavSampleFormat SampleFormat, int Channels, int SampleRate, int BitsPerSample, bool IsExtensible);
}
