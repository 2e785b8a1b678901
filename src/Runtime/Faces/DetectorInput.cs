namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// Builds TinyFaceDetector's input from a frame: the frame padded with black at its right or
/// bottom to a square, resized to <see cref="Size"/> (TF bilinear), written as NCHW RGB floats
/// 0-255. The model subtracts its mean RGB and divides by 255 itself. A 320-wide frame at size
/// 320 is only padded, never resampled.
/// </summary>
public sealed class DetectorInput
{
    public DetectorInput(int size)
    {
        if (size < 32 || size % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "the detector's input size must be a positive multiple of 32 (its grid cell)");
        }

        Size = size;
    }

    public int Size { get; }

    /// <summary>Floats in one input: 3 x Size x Size.</summary>
    public int Length => 3 * Size * Size;

    public void Write(InterleavedImage image, Span<float> destination)
    {
        var side = Math.Max(image.Width, image.Height);
        SquareResampler.Resample(image, new PixelRegion(0, 0, image.Width, image.Height), side, 0, 0, Size, destination);
    }
}
