namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// The 68 facial landmarks (iBUG 300-W order: jaw 0-16, brows 17-26, nose 27-35, eyes 36-41
/// and 42-47, mouth 48-67) in image pixels, from face-api's landmark nets.
/// </summary>
public sealed class FaceLandmarks68
{
    public const int Count = 68;

    private readonly FacePoint[] points;

    public FaceLandmarks68(IReadOnlyList<FacePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count != Count)
        {
            throw new ArgumentException($"68 landmarks expected; {points.Count} given", nameof(points));
        }

        this.points = [.. points];
    }

    public IReadOnlyList<FacePoint> Points => points;

    /// <summary>
    /// Decodes a landmark net's output (136 floats: x0, y0, x1, y1, ... as fractions of its
    /// 112x112 square) for the face cropped from <paramref name="crop"/>: face-api's postProcess
    /// undoes the square's padding as |w - h| / 2 on each side, scales by the crop's size and
    /// shifts by <paramref name="origin"/>. face-api shifts by the detection box's own corner
    /// (up to a pixel from the floored crop's); pass that to match it.
    /// </summary>
    public static FaceLandmarks68 Decode(ReadOnlySpan<float> output, PixelRegion crop, FacePoint origin)
    {
        if (output.Length != 2 * Count)
        {
            throw new ArgumentException($"a landmark net gives {2 * Count} floats; {output.Length} given", nameof(output));
        }

        if (crop.IsEmpty)
        {
            throw new ArgumentException("the face crop is empty (the box lies outside the image)", nameof(crop));
        }

        double size = FaceCropInput.Size;
        var scale = size / Math.Max(crop.Width, crop.Height);
        var width = crop.Width * scale;
        var height = crop.Height * scale;
        var padX = width < height ? Math.Abs(width - height) / 2 : 0;
        var padY = height < width ? Math.Abs(width - height) / 2 : 0;
        var decoded = new FacePoint[Count];
        for (var i = 0; i < Count; i++)
        {
            var relativeX = ((output[2 * i] * size) - padX) / width;
            var relativeY = ((output[(2 * i) + 1] * size) - padY) / height;
            decoded[i] = new FacePoint((relativeX * crop.Width) + origin.X, (relativeY * crop.Height) + origin.Y);
        }

        return new FaceLandmarks68(decoded);
    }

    /// <summary>
    /// Eye centres (means of 36-41 and 42-47), nose tip (30) and mouth corners (48, 54): the five
    /// points a similarity alignment to a template needs.
    /// </summary>
    public FaceFivePoints FivePoints() => new(
        FacePoint.Mean(points.AsSpan(36, 6)),
        FacePoint.Mean(points.AsSpan(42, 6)),
        points[30],
        points[48],
        points[54]);

    /// <summary>
    /// The box face-api feeds its expression net (alignMinBbox): the landmarks' bounding box
    /// grown by <paramref name="padding"/> of its size. Like face-api, the right and bottom
    /// edges start from 0, not from minus infinity.
    /// </summary>
    public FaceBox AlignedBox(double padding = 0.2)
    {
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = 0, maxY = 0;
        foreach (var p in points)
        {
            minX = Math.Min(minX, p.X);
            minY = Math.Min(minY, p.Y);
            maxX = Math.Max(maxX, p.X);
            maxY = Math.Max(maxY, p.Y);
        }

        return new FaceBox(minX, minY, maxX - minX, maxY - minY).Grow(padding);
    }
}
