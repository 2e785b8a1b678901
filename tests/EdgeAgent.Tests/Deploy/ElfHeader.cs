using System.Buffers.Binary;

namespace EdgeEmotion.EdgeAgent.Tests.Deploy;

/// <summary>The target machine of an ELF file, read from its header (no readelf needed).</summary>
internal static class ElfHeader
{
    /// <summary>e_machine of ARM 64-bit (EM_AARCH64).</summary>
    public const ushort AArch64 = 183;

    /// <summary>e_machine of AMD x86-64 (EM_X86_64).</summary>
    public const ushort X86_64 = 62;

    private static ReadOnlySpan<byte> Magic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>The file's e_machine, or null when it is not an ELF file.</summary>
    public static ushort? Machine(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using (var file = File.OpenRead(path))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                return null;
            }
        }

        if (!header[..4].SequenceEqual(Magic))
        {
            return null;
        }

        // EI_DATA (byte 5): 1 little-endian, 2 big-endian; e_machine is the 16-bit field at offset 18.
        var machine = header.Slice(18, 2);
        return header[5] == 2 ? BinaryPrimitives.ReadUInt16BigEndian(machine) : BinaryPrimitives.ReadUInt16LittleEndian(machine);
    }
}
