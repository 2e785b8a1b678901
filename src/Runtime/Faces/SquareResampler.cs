namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// Resizes a square of an image, padded with zeros, into planar RGB floats (0-255) by
/// TensorFlow's bilinear rule without align-corners or half-pixel centres (face-api's
/// <c>resizeBilinear(..., false, false)</c>): output pixel i samples source i * in / out, between
/// its floor and ceiling neighbours. Computed in double and stored as float, as TF.js's CPU
/// kernel does, so the nets see the reference's values to the last bit.
/// </summary>
internal static class SquareResampler
{
    /// <param name="region">The image pixels the square holds.</param>
    /// <param name="side">The square's side in source pixels (at least the region's width and height).</param>
    /// <param name="padLeft">Columns of zeros before the region.</param>
    /// <param name="padTop">Rows of zeros above the region.</param>
    /// <param name="size">The output side.</param>
    /// <param name="destination">Three planes (R, G, B) of size x size.</param>
    public static void Resample(InterleavedImage image, PixelRegion region, int side, int padLeft, int padTop, int size, Span<float> destination)
    {
        var plane = size * size;
        if (destination.Length < 3 * plane)
        {
            throw new ArgumentException($"a {size}x{size} RGB input needs {3 * plane} floats; the buffer holds {destination.Length}", nameof(destination));
        }

        var (red, green, blue) = image.RgbOffsets;
        var pixels = image.Pixels;
        if (side == size)
        {
            // Nothing to resample (a 320-wide frame at 320): every fraction would be 0.
            destination[..(3 * plane)].Clear();
            for (var row = 0; row < region.Height; row++)
            {
                var source = ((region.Y + row) * image.Stride) + (region.X * 3);
                var target = ((padTop + row) * size) + padLeft;
                for (var column = 0; column < region.Width; column++, source += 3, target++)
                {
                    destination[target] = pixels[source + red];
                    destination[plane + target] = pixels[source + green];
                    destination[(2 * plane) + target] = pixels[source + blue];
                }
            }

            return;
        }

        var ratio = (double)side / size;
        Span<int> leftOffset = size <= 1024 ? stackalloc int[size] : new int[size];
        Span<int> rightOffset = size <= 1024 ? stackalloc int[size] : new int[size];
        Span<double> columnFraction = size <= 1024 ? stackalloc double[size] : new double[size];
        for (var u = 0; u < size; u++)
        {
            var x = ratio * u;
            var left = (int)Math.Floor(x);
            leftOffset[u] = ColumnOffset(region, left - padLeft);
            rightOffset[u] = ColumnOffset(region, Math.Min(side - 1, (int)Math.Ceiling(x)) - padLeft);
            columnFraction[u] = x - left;
        }

        for (var v = 0; v < size; v++)
        {
            var y = ratio * v;
            var top = (int)Math.Floor(y);
            var bottom = Math.Min(side - 1, (int)Math.Ceiling(y));
            var rowFraction = y - top;
            var topRow = RowOffset(image, region, top - padTop);
            var bottomRow = RowOffset(image, region, bottom - padTop);
            for (var u = 0; u < size; u++)
            {
                var left = leftOffset[u];
                var right = rightOffset[u];
                var fraction = columnFraction[u];
                var index = (v * size) + u;
                destination[index] = Blend(pixels, topRow, bottomRow, left, right, red, fraction, rowFraction);
                destination[plane + index] = Blend(pixels, topRow, bottomRow, left, right, green, fraction, rowFraction);
                destination[(2 * plane) + index] = Blend(pixels, topRow, bottomRow, left, right, blue, fraction, rowFraction);
            }
        }
    }

    // Byte offset of a region row in the image, or -1 for a padding row.
    private static int RowOffset(InterleavedImage image, PixelRegion region, int row) =>
        row < 0 || row >= region.Height ? -1 : (region.Y + row) * image.Stride;

    // Byte offset of a region column within a row, or -1 for a padding column.
    private static int ColumnOffset(PixelRegion region, int column) =>
        column < 0 || column >= region.Width ? -1 : (region.X + column) * 3;

    private static float Blend(ReadOnlySpan<byte> pixels, int topRow, int bottomRow, int left, int right, int channel, double columnFraction, double rowFraction)
    {
        double topLeft = Sample(pixels, topRow, left, channel);
        double topRight = Sample(pixels, topRow, right, channel);
        double bottomLeft = Sample(pixels, bottomRow, left, channel);
        double bottomRight = Sample(pixels, bottomRow, right, channel);
        var upper = topLeft + ((topRight - topLeft) * columnFraction);
        var lower = bottomLeft + ((bottomRight - bottomLeft) * columnFraction);
        return (float)(upper + ((lower - upper) * rowFraction));
    }

    private static byte Sample(ReadOnlySpan<byte> pixels, int row, int column, int channel) =>
        row < 0 || column < 0 ? (byte)0 : pixels[row + column + channel];
}
