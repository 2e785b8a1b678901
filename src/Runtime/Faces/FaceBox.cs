namespace EdgeEmotion.Runtime.Faces;

/// <summary>An axis-aligned box in image pixels (x right, y down); fractional, as detectors give them.</summary>
public readonly record struct FaceBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    public double Area => Width * Height;

    public double CenterX => X + (Width / 2);

    public double CenterY => Y + (Height / 2);

    /// <summary>Intersection over union; 0 for boxes that do not overlap.</summary>
    public double Iou(FaceBox other)
    {
        var width = Math.Max(0, Math.Min(Right, other.Right) - Math.Max(X, other.X));
        var height = Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y));
        var intersection = width * height;
        var union = Area + other.Area - intersection;
        return union > 0 ? intersection / union : 0;
    }

    /// <summary>
    /// The whole pixels of this box inside a <paramref name="imageWidth"/> x <paramref name="imageHeight"/>
    /// image: clipped to the image, then every field floored (face-api's clipAtImageBorders, the
    /// region its landmark and expression nets see). Width or height 0 when nothing is inside.
    /// </summary>
    public PixelRegion ClipToImage(int imageWidth, int imageHeight)
    {
        var x = Math.Max(X, 0);
        var y = Math.Max(Y, 0);
        var width = Math.Min(Right - x, imageWidth - x);
        var height = Math.Min(Bottom - y, imageHeight - y);
        return new PixelRegion(
            (int)Math.Floor(x),
            (int)Math.Floor(y),
            Math.Max(0, (int)Math.Floor(width)),
            Math.Max(0, (int)Math.Floor(height)));
    }

    /// <summary>This box grown by <paramref name="fraction"/> of its size, half on each side.</summary>
    public FaceBox Grow(double fraction) =>
        new(X - (Width * fraction / 2), Y - (Height * fraction / 2), Width * (1 + fraction), Height * (1 + fraction));
}

/// <summary>A rectangle of whole pixels inside an image.</summary>
public readonly record struct PixelRegion(int X, int Y, int Width, int Height)
{
    public bool IsEmpty => Width <= 0 || Height <= 0;
}
