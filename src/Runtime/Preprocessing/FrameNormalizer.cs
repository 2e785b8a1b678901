using System.Runtime.InteropServices;
using EdgeEmotion.Runtime.Packs;
using OpenCvSharp;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// Turns a BGR image of the pack's frame size into the planar floats the visual backbone was
/// trained on: channels in the manifest's <c>pixelOrder</c>, each value
/// <c>(pixel * scale - mean[c]) / std[c]</c>. The only place that normalisation is written, so a
/// cropped face and a substituted black frame can never disagree.
/// </summary>
public sealed class FrameNormalizer
{
    private const int Channels = 3;

    // One table per output plane: 256 values computed in double exactly as training did, so
    // the per-pixel work is a lookup and the rounding matches the reference to the last bit.
    private readonly float[][] tables;

    // For each output plane, which byte of a BGR pixel feeds it.
    private readonly int[] sourceChannel;

    // The manifest's scale, means and stds, for inputs that are not bytes (resampled floats).
    private readonly double scale;
    private readonly double[] mean;
    private readonly double[] std;

    public FrameNormalizer(VideoSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        Width = spec.Width;
        Height = spec.Height;
        sourceChannel = string.Equals(spec.PixelOrder, "RGB", StringComparison.OrdinalIgnoreCase) ? [2, 1, 0] : [0, 1, 2];
        scale = spec.Scale;
        mean = [.. spec.Mean];
        std = [.. spec.Std];
        tables = new float[Channels][];
        for (var plane = 0; plane < Channels; plane++)
        {
            var table = new float[256];
            for (var value = 0; value < 256; value++)
            {
                table[value] = (float)(((value * spec.Scale) - spec.Mean[plane]) / spec.Std[plane]);
            }

            tables[plane] = table;
        }
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Floats in one plane (H x W).</summary>
    public int PlaneLength => Width * Height;

    /// <summary>Floats in one whole frame (3 x H x W, planar).</summary>
    public int FrameLength => Channels * PlaneLength;

    /// <summary>The value a black pixel (0, 0, 0) becomes in output plane <paramref name="plane"/>.</summary>
    public float BlackValue(int plane)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plane);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(plane, Channels);
        return tables[plane][0];
    }

    /// <summary>
    /// Writes <paramref name="bgr"/> (CV_8UC3, exactly <see cref="Width"/> x <see cref="Height"/>)
    /// as three planes. Plane p starts at <c>p * planeStride</c> in <paramref name="destination"/>:
    /// <c>H * W</c> for one CHW frame, <c>T * H * W</c> to write frame t of an NCTHW clip into
    /// <c>clip[(t * H * W)..]</c>.
    /// </summary>
    public void WritePlanar(Mat bgr, Span<float> destination, int planeStride)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Type() != MatType.CV_8UC3 || bgr.Width != Width || bgr.Height != Height)
        {
            throw new ArgumentException(
                $"Expected an 8-bit BGR image (CV_8UC3) of {Width}x{Height}, got {bgr.Type()} of {bgr.Width}x{bgr.Height}.", nameof(bgr));
        }

        CheckDestination(destination.Length, planeStride);
        for (var y = 0; y < Height; y++)
        {
            ReadOnlySpan<byte> row = MemoryMarshal.AsBytes(bgr.RowSpan<Vec3b>(y));
            for (var plane = 0; plane < Channels; plane++)
            {
                var table = tables[plane];
                var channel = sourceChannel[plane];
                var target = destination.Slice((plane * planeStride) + (y * Width), Width);
                for (var x = 0; x < target.Length; x++)
                {
                    target[x] = table[row[(x * Channels) + channel]];
                }
            }
        }
    }

    /// <summary>
    /// Writes packed RGB bytes (<see cref="Width"/> x <see cref="Height"/>, rows of width * 3 bytes:
    /// the aligned crop of <c>Faces.FaceAligner</c>) as three planes, laid out as <see cref="WritePlanar"/>.
    /// </summary>
    public void WritePackedRgb(ReadOnlySpan<byte> rgb, Span<float> destination, int planeStride)
    {
        if (rgb.Length != FrameLength)
        {
            throw new ArgumentException($"Expected {Width}x{Height} packed RGB bytes ({FrameLength}), got {rgb.Length}.", nameof(rgb));
        }

        CheckDestination(destination.Length, planeStride);
        for (var plane = 0; plane < Channels; plane++)
        {
            var table = tables[plane];
            var channel = 2 - sourceChannel[plane]; // sourceChannel counts in BGR order
            var target = destination.Slice(plane * planeStride, PlaneLength);
            for (var i = 0; i < target.Length; i++)
            {
                target[i] = table[rgb[(i * Channels) + channel]];
            }
        }
    }

    /// <summary>
    /// Writes three planes of RGB values 0-255 that need not be whole (face-api's bilinear resize
    /// of a padded square) with the same formula the byte tables hold, computed in double.
    /// </summary>
    public void WritePlanarRgb(ReadOnlySpan<float> rgbPlanes, Span<float> destination, int planeStride)
    {
        if (rgbPlanes.Length != FrameLength)
        {
            throw new ArgumentException($"Expected three {Width}x{Height} planes ({FrameLength} floats), got {rgbPlanes.Length}.", nameof(rgbPlanes));
        }

        CheckDestination(destination.Length, planeStride);
        for (var plane = 0; plane < Channels; plane++)
        {
            var source = rgbPlanes.Slice((2 - sourceChannel[plane]) * PlaneLength, PlaneLength);
            var target = destination.Slice(plane * planeStride, PlaneLength);
            for (var i = 0; i < target.Length; i++)
            {
                target[i] = (float)(((source[i] * scale) - mean[plane]) / std[plane]);
            }
        }
    }

    /// <summary>Writes a black frame (every pixel 0) with the same layout as <see cref="WritePlanar"/>.</summary>
    public void WriteBlack(Span<float> destination, int planeStride)
    {
        CheckDestination(destination.Length, planeStride);
        for (var plane = 0; plane < Channels; plane++)
        {
            destination.Slice(plane * planeStride, PlaneLength).Fill(tables[plane][0]);
        }
    }

    /// <summary>Throws unless a span of <paramref name="destinationLength"/> floats holds a frame at this plane stride.</summary>
    internal void CheckDestination(int destinationLength, int planeStride)
    {
        if (planeStride < PlaneLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(planeStride), planeStride, $"A plane holds {Height}x{Width} = {PlaneLength} floats; the stride cannot be smaller.");
        }

        var needed = ((Channels - 1) * (long)planeStride) + PlaneLength;
        if (destinationLength < needed)
        {
            throw new ArgumentException(
                $"Destination holds {destinationLength} floats; a {Channels}x{Height}x{Width} frame with plane stride {planeStride} needs {needed}.",
                nameof(destinationLength));
        }
    }

    private static void Validate(VideoSpec spec)
    {
        if (spec.Width < 1 || spec.Height < 1)
        {
            throw new ArgumentException($"video.width and video.height must be positive, got {spec.Width}x{spec.Height}.", nameof(spec));
        }

        if (!string.Equals(spec.PixelOrder, "RGB", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(spec.PixelOrder, "BGR", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"video.pixelOrder '{spec.PixelOrder}' is not supported; expected RGB or BGR.", nameof(spec));
        }

        if (!(spec.Scale > 0) || !double.IsFinite(spec.Scale))
        {
            throw new ArgumentException($"video.scale must be a positive number, got {spec.Scale}.", nameof(spec));
        }

        if (spec.Mean.Count != Channels || spec.Std.Count != Channels)
        {
            throw new ArgumentException(
                $"video.mean and video.std need {Channels} values each, got {spec.Mean.Count} and {spec.Std.Count}.", nameof(spec));
        }

        for (var c = 0; c < Channels; c++)
        {
            if (!(spec.Std[c] > 0) || !double.IsFinite(spec.Std[c]) || !double.IsFinite(spec.Mean[c]))
            {
                throw new ArgumentException(
                    $"video.std[{c}] must be positive and video.mean[{c}] finite, got std {spec.Std[c]} and mean {spec.Mean[c]}.", nameof(spec));
            }
        }
    }
}
