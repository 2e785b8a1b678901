namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// Where the five points (<see cref="FaceFivePoints"/> order) should land in an aligned crop:
/// the template's points in a <see cref="TemplateWidth"/> x <see cref="TemplateHeight"/> frame,
/// the crop's size, and a margin. The margin shrinks the template towards the crop's centre so
/// a border of <c>Margin</c> times the crop's size on each side shows more of the head:
/// a point p lands at <c>margin + p * (size - 2 margin) / templateSize</c> per axis.
/// </summary>
public sealed record AlignmentTemplate
{
    /// <summary>
    /// The ArcFace (insightface) 112x112 template: eye centres, nose tip, mouth corners, left and
    /// right as seen in the image. MTCNN crop-and-align and AffWild2's aligned images use it.
    /// </summary>
    public static AlignmentTemplate ArcFace112 { get; } = new(
        [new(38.2946, 51.6963), new(73.5318, 51.5014), new(56.0252, 71.7366), new(41.5493, 92.3655), new(70.7299, 92.2041)],
        112,
        112);

    public AlignmentTemplate(IReadOnlyList<FacePoint> points, int templateWidth, int templateHeight, int? outputWidth = null, int? outputHeight = null, double margin = 0)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count != 5)
        {
            throw new ArgumentException($"an alignment template has 5 points (eyes, nose, mouth corners); {points.Count} given", nameof(points));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(templateWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(templateHeight);
        if (margin is < 0 or >= 0.5 || !double.IsFinite(margin))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "the margin is a fraction of the crop's size on each side, in [0, 0.5)");
        }

        Points = [.. points];
        TemplateWidth = templateWidth;
        TemplateHeight = templateHeight;
        OutputWidth = outputWidth ?? templateWidth;
        OutputHeight = outputHeight ?? templateHeight;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OutputWidth, nameof(outputWidth));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OutputHeight, nameof(outputHeight));
        Margin = margin;
    }

    public IReadOnlyList<FacePoint> Points { get; }

    public int TemplateWidth { get; }

    public int TemplateHeight { get; }

    public int OutputWidth { get; }

    public int OutputHeight { get; }

    public double Margin { get; }

    /// <summary>This template at another output size or margin.</summary>
    public AlignmentTemplate WithOutput(int width, int height, double margin = 0) =>
        new(Points, TemplateWidth, TemplateHeight, width, height, margin);

    /// <summary>The five target points in output pixels, margin applied.</summary>
    public FacePoint[] TargetPoints()
    {
        double marginX = Margin * OutputWidth, marginY = Margin * OutputHeight;
        var scaleX = (OutputWidth - (2 * marginX)) / TemplateWidth;
        var scaleY = (OutputHeight - (2 * marginY)) / TemplateHeight;
        return [.. Points.Select(p => new FacePoint(marginX + (p.X * scaleX), marginY + (p.Y * scaleY)))];
    }
}

/// <summary>
/// A 2-D similarity (uniform scale, rotation, translation; never a reflection):
/// x' = A x - B y + Tx, y' = B x + A y + Ty, with A = s cos(theta), B = s sin(theta).
/// </summary>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    public double Scale => Math.Sqrt((A * A) + (B * B));

    /// <summary>Rotation in degrees, clockwise in the image (y down).</summary>
    public double RotationDegrees => Math.Atan2(B, A) * 180 / Math.PI;

    public FacePoint Apply(FacePoint p) => new((A * p.X) - (B * p.Y) + Tx, (B * p.X) + (A * p.Y) + Ty);

    public SimilarityTransform Inverse()
    {
        var d = (A * A) + (B * B);
        double a = A / d, b = -B / d;
        return new SimilarityTransform(a, b, -((a * Tx) - (b * Ty)), -((b * Tx) + (a * Ty)));
    }

    /// <summary>
    /// The least-squares similarity taking <paramref name="source"/> onto <paramref name="target"/>
    /// (Umeyama 1991 restricted to proper rotations). In 2-D it has a closed form: with both point
    /// sets centred, A = sum(x . y) / sum|x|^2 and B = sum(x cross y) / sum|x|^2.
    /// </summary>
    public static SimilarityTransform Estimate(IReadOnlyList<FacePoint> source, IReadOnlyList<FacePoint> target)
    {
        if (source.Count != target.Count || source.Count < 2)
        {
            throw new ArgumentException($"a similarity needs two or more point pairs; {source.Count} and {target.Count} given");
        }

        double sx = 0, sy = 0, tx = 0, ty = 0;
        for (var i = 0; i < source.Count; i++)
        {
            sx += source[i].X;
            sy += source[i].Y;
            tx += target[i].X;
            ty += target[i].Y;
        }

        sx /= source.Count;
        sy /= source.Count;
        tx /= source.Count;
        ty /= source.Count;
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < source.Count; i++)
        {
            double x = source[i].X - sx, y = source[i].Y - sy, u = target[i].X - tx, v = target[i].Y - ty;
            dot += (x * u) + (y * v);
            cross += (x * v) - (y * u);
            norm += (x * x) + (y * y);
        }

        if (norm <= 1e-12)
        {
            throw new ArgumentException("the source points coincide: no similarity maps them");
        }

        double a = dot / norm, b = cross / norm;
        return new SimilarityTransform(a, b, tx - ((a * sx) - (b * sy)), ty - ((b * sx) + (a * sy)));
    }
}

/// <summary>
/// Warps a face to its template: estimates the similarity from the five points to the template's
/// targets and samples every output pixel centre (x, y) at the inverse-mapped source point
/// bilinearly, as OpenCV's warpAffine does with pixel centres on integers; source pixels outside
/// the image are black. Output is packed RGB bytes, rounded to the nearest grey level.
/// </summary>
public static class FaceAligner
{
    public static SimilarityTransform TransformFor(FaceFivePoints points, AlignmentTemplate template) =>
        SimilarityTransform.Estimate(points.ToList(), template.TargetPoints());

    /// <param name="destination">OutputWidth * OutputHeight * 3 bytes, RGB.</param>
    public static SimilarityTransform Warp(InterleavedImage image, FaceFivePoints points, AlignmentTemplate template, Span<byte> destination)
    {
        var transform = TransformFor(points, template);
        Warp(image, transform, template.OutputWidth, template.OutputHeight, destination);
        return transform;
    }

    /// <param name="transform">Source pixels to output pixels.</param>
    public static void Warp(InterleavedImage image, SimilarityTransform transform, int width, int height, Span<byte> destination)
    {
        if (destination.Length < width * height * 3)
        {
            throw new ArgumentException($"a {width}x{height} RGB crop needs {width * height * 3} bytes; {destination.Length} given", nameof(destination));
        }

        var inverse = transform.Inverse();
        var (red, green, blue) = image.RgbOffsets;
        var pixels = image.Pixels;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var source = inverse.Apply(new FacePoint(x, y));
                var x0 = (int)Math.Floor(source.X);
                var y0 = (int)Math.Floor(source.Y);
                double fx = source.X - x0, fy = source.Y - y0;
                double r = 0, g = 0, b = 0;
                for (var k = 0; k < 4; k++)
                {
                    int px = x0 + (k & 1), py = y0 + (k >> 1);
                    if (px < 0 || py < 0 || px >= image.Width || py >= image.Height)
                    {
                        continue;
                    }

                    var weight = ((k & 1) == 1 ? fx : 1 - fx) * ((k >> 1) == 1 ? fy : 1 - fy);
                    var at = (py * image.Stride) + (px * 3);
                    r += weight * pixels[at + red];
                    g += weight * pixels[at + green];
                    b += weight * pixels[at + blue];
                }

                var to = ((y * width) + x) * 3;
                destination[to] = ToByte(r);
                destination[to + 1] = ToByte(g);
                destination[to + 2] = ToByte(b);
            }
        }
    }

    private static byte ToByte(double value) => (byte)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), 0, 255);
}
