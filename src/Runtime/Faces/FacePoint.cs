namespace EdgeEmotion.Runtime.Faces;

/// <summary>A point in image pixels.</summary>
public readonly record struct FacePoint(double X, double Y)
{
    public double DistanceTo(FacePoint other) => Math.Sqrt(((X - other.X) * (X - other.X)) + ((Y - other.Y) * (Y - other.Y)));

    public static FacePoint Mean(ReadOnlySpan<FacePoint> points)
    {
        double x = 0, y = 0;
        foreach (var p in points)
        {
            x += p.X;
            y += p.Y;
        }

        return new FacePoint(x / points.Length, y / points.Length);
    }
}

/// <summary>
/// The five points face alignment uses, in the order of the usual templates (ArcFace, MTCNN):
/// left and right as seen in the image, so <see cref="LeftEye"/> is the subject's right eye.
/// </summary>
public sealed record FaceFivePoints(FacePoint LeftEye, FacePoint RightEye, FacePoint Nose, FacePoint MouthLeft, FacePoint MouthRight)
{
    public IReadOnlyList<FacePoint> ToList() => [LeftEye, RightEye, Nose, MouthLeft, MouthRight];
}
