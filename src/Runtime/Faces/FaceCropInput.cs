namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// Builds the input of face-api's landmark and expression nets from a box: the box clipped to
/// the image and floored (<see cref="FaceBox.ClipToImage"/>), padded with black to a centred
/// square (the extra pixel of an odd difference goes after), resized to 112x112 (TF bilinear),
/// written as NCHW RGB floats 0-255. The models normalise themselves.
/// </summary>
public static class FaceCropInput
{
    public const int Size = 112;

    /// <summary>Floats in one input: 3 x 112 x 112.</summary>
    public const int Length = 3 * Size * Size;

    /// <param name="size">The output side: 112 for face-api's nets, a pack's width for a landmarkBox or box crop.</param>
    /// <returns>The pixels cropped: what <see cref="FaceLandmarks68.Decode"/> needs. Empty (and the
    /// destination zeroed) when the box lies outside the image.</returns>
    public static PixelRegion Write(InterleavedImage image, FaceBox box, Span<float> destination, int size = Size)
    {
        var region = box.ClipToImage(image.Width, image.Height);
        if (region.IsEmpty)
        {
            destination[..(3 * size * size)].Clear();
            return region;
        }

        var side = Math.Max(region.Width, region.Height);
        var difference = side - Math.Min(region.Width, region.Height);
        var before = difference - (int)Math.Round(difference * 0.5, MidpointRounding.AwayFromZero);
        var (padLeft, padTop) = region.Width < region.Height ? (before, 0) : (0, before);
        SquareResampler.Resample(image, region, side, padLeft, padTop, size, destination);
        return region;
    }
}
