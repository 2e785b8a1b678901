using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeEmotion.Runtime.Golden;

/// <summary>
/// A float32 array in NumPy's .npy format (what the PyTorch export writes with np.save), so
/// ML engineers can open the same golden files with numpy.load. uint8 files (images) read as
/// floats of the same values.
/// </summary>
public sealed partial class NpyArray
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public NpyArray(float[] data, long[] shape)
    {
        if (shape.Aggregate(1L, (a, d) => a * d) != data.Length)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] does not hold {data.Length} values", nameof(shape));
        }

        Data = data;
        Shape = shape;
    }

    public float[] Data { get; }

    public long[] Shape { get; }

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public static NpyArray Read(string path)
    {
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static NpyArray Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a .npy file (bad magic)");
        }

        int major = bytes[6];
        int headerLength, headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
                headerStart = 10;
                break;
            case 2 or 3 when bytes.Length >= 12:
                headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));
                headerStart = 12;
                break;
            default:
                throw new InvalidDataException($".npy version {major} is not supported");
        }

        if (headerStart + headerLength > bytes.Length)
        {
            throw new InvalidDataException("truncated .npy header");
        }

        var header = Encoding.Latin1.GetString(bytes.Slice(headerStart, headerLength));
        var descr = Descr().Match(header);
        var isBytes = descr.Success && descr.Groups[1].Value is "|u1" or "<u1";
        if (!descr.Success || (descr.Groups[1].Value != "<f4" && !isBytes))
        {
            throw new InvalidDataException($"only little-endian float32 ('<f4') and uint8 ('|u1') are supported; header is {header.Trim()}");
        }

        if (!header.Contains("'fortran_order': False", StringComparison.Ordinal))
        {
            throw new InvalidDataException("Fortran-ordered arrays are not supported");
        }

        var shapeMatch = ShapeTuple().Match(header);
        if (!shapeMatch.Success)
        {
            throw new InvalidDataException($"no shape in header {header.Trim()}");
        }

        var shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture))
            .ToArray();
        var count = shape.Aggregate(1L, (a, d) => a * d);
        var body = bytes[(headerStart + headerLength)..];
        var itemSize = isBytes ? 1 : sizeof(float);
        if (body.Length != count * itemSize)
        {
            throw new InvalidDataException($"data holds {body.Length} bytes; shape [{string.Join(", ", shape)}] needs {count * itemSize}");
        }

        var data = new float[count];
        if (isBytes)
        {
            // Images (frames, detector inputs) are stored as bytes and widened exactly.
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = body[i];
            }

            return new NpyArray(data, shape);
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(body).CopyTo(data);
        }
        else
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(i * sizeof(float))..]);
            }
        }

        return new NpyArray(data, shape);
    }

    /// <summary>Writes version-1 .npy, readable by numpy.load.</summary>
    public void Write(string path)
    {
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({string.Join(", ", Shape)}{(Shape.Length == 1 ? "," : "")}), }}";
        var unpadded = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - (unpadded % 64)) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)header.Length));
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
        Span<byte> value = stackalloc byte[4];
        foreach (var f in Data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(value, f);
            stream.Write(value);
        }
    }

    [GeneratedRegex(@"'descr':\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeTuple();
}
