namespace EdgeEmotion.Runtime.Faces;

/// <summary>The order of the three bytes of a pixel.</summary>
public enum ChannelOrder
{
    Rgb,

    /// <summary>OpenCV's order (the camera and video sources deliver BGR).</summary>
    Bgr,
}

/// <summary>
/// A view of an 8-bit, 3-channel image: pixels interleaved, rows <see cref="Stride"/> bytes
/// apart (an OpenCV <c>Mat</c>'s step, or width * 3 for a packed array). Copies nothing.
/// </summary>
public readonly ref struct InterleavedImage
{
    public InterleavedImage(ReadOnlySpan<byte> pixels, int width, int height, ChannelOrder order, int stride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        stride = stride == 0 ? width * 3 : stride;
        if (stride < width * 3)
        {
            throw new ArgumentException($"a row of {width} pixels needs {width * 3} bytes; the stride is {stride}", nameof(stride));
        }

        var needed = ((long)stride * (height - 1)) + (width * 3);
        if (pixels.Length < needed)
        {
            throw new ArgumentException($"a {width}x{height} image with stride {stride} needs {needed} bytes; {pixels.Length} given", nameof(pixels));
        }

        Pixels = pixels;
        Width = width;
        Height = height;
        Order = order;
        Stride = stride;
    }

    public ReadOnlySpan<byte> Pixels { get; }

    public int Width { get; }

    public int Height { get; }

    public ChannelOrder Order { get; }

    public int Stride { get; }

    /// <summary>The byte offset, within a pixel, of red, green and blue.</summary>
    internal (int Red, int Green, int Blue) RgbOffsets => Order == ChannelOrder.Rgb ? (0, 1, 2) : (2, 1, 0);
}
