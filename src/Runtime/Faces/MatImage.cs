using OpenCvSharp;

namespace EdgeEmotion.Runtime.Faces;

/// <summary>Views the BGR frames the camera and video sources deliver as <see cref="InterleavedImage"/>.</summary>
public static class MatImage
{
    /// <summary>
    /// The pixels of an 8-bit, 3-channel BGR <see cref="Mat"/> (a region of interest included:
    /// its row step is the stride), without copying. Valid while the Mat lives unchanged.
    /// </summary>
    public static unsafe InterleavedImage View(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"an 8-bit 3-channel BGR image is needed; the Mat is {(bgr.Empty() ? "empty" : bgr.Type().ToString())}", nameof(bgr));
        }

        var stride = checked((int)bgr.Step());
        var length = checked((stride * (bgr.Rows - 1)) + (bgr.Cols * 3));
        return new InterleavedImage(new ReadOnlySpan<byte>((void*)bgr.Data, length), bgr.Cols, bgr.Rows, ChannelOrder.Bgr, stride);
    }
}
