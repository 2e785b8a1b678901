using System.Buffers.Binary;
using System.IO.Hashing;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// One message as stored in a segment file, little-endian:
/// <c>[magic u32][payload length u32][seq i64][crc32 u32 over seq and payload][payload]</c>.
/// The magic marks where a record starts, so a scan can resync after damage; the CRC (IEEE
/// CRC-32) proves the record whole. A false magic inside a payload is rejected by its CRC.
/// </summary>
internal static class QueueRecord
{
    /// <summary>Format version 1. Its bytes (51 E1 DC A7) are not valid UTF-8, so JSON payloads rarely hold them.</summary>
    public const uint Magic = 0xA7DC_E151;

    public const int HeaderSize = 20;

    /// <summary>Largest payload the format accepts; a larger length field is damage, whatever the options say.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Highest sequence number the queue hands out: 2^62, which at 1,000 messages a second lasts
    /// 146 million years. A record or file that claims more was not written by this queue (a
    /// crafted or damaged file); taking it as real would overflow the next sequence.
    /// </summary>
    public const long MaxSequence = 1L << 62;

    private const int LengthOffset = 4;
    private const int SequenceOffset = 8;
    private const int CrcOffset = 16;

    public static int SizeOf(int payloadLength) => HeaderSize + payloadLength;

    /// <summary>Writes the record for <paramref name="payload"/> into <paramref name="destination"/> (exactly <see cref="SizeOf"/> bytes).</summary>
    public static void Write(Span<byte> destination, long sequence, ReadOnlySpan<byte> payload, Crc32 crc)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[LengthOffset..], (uint)payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(destination[SequenceOffset..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[CrcOffset..], Checksum(crc, destination.Slice(SequenceOffset, 8), payload));
        payload.CopyTo(destination[HeaderSize..]);
    }

    /// <summary>
    /// Reads the record starting at <paramref name="offset"/> of <paramref name="data"/>; false
    /// when there is none there whole (wrong magic, impossible length, cut short, or a bad CRC).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, int offset, Crc32 crc, out long sequence, out int payloadLength)
    {
        sequence = 0;
        payloadLength = 0;
        if (data.Length - offset < HeaderSize)
        {
            return false;
        }

        var header = data.Slice(offset, HeaderSize);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[LengthOffset..]);
        if (length > MaxPayloadBytes || length > (uint)(data.Length - offset - HeaderSize))
        {
            return false;
        }

        var payload = data.Slice(offset + HeaderSize, (int)length);
        if (Checksum(crc, header.Slice(SequenceOffset, 8), payload) != BinaryPrimitives.ReadUInt32LittleEndian(header[CrcOffset..]))
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64LittleEndian(header[SequenceOffset..]);
        payloadLength = (int)length;
        return true;
    }

    /// <summary>Where the next possible record start lies at or after <paramref name="offset"/>; the data's length if none.</summary>
    public static int NextMagic(ReadOnlySpan<byte> data, int offset)
    {
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, Magic);
        var found = data[offset..].IndexOf(magic);
        return found < 0 ? data.Length : offset + found;
    }

    private static uint Checksum(Crc32 crc, ReadOnlySpan<byte> sequence, ReadOnlySpan<byte> payload)
    {
        crc.Reset();
        crc.Append(sequence);
        crc.Append(payload);
        return crc.GetCurrentHashAsUInt32();
    }
}
