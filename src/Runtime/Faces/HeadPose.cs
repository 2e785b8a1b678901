namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// Head orientation in degrees, relative to facing the camera. Yaw: positive when the nose turns
/// towards the image's right. Pitch: positive when the nose turns up. Roll: positive when the head
/// tilts clockwise in the image. The rotation is yaw, then pitch, then roll (R = Ry Rx Rz).
/// </summary>
public readonly record struct HeadPose(double Yaw, double Pitch, double Roll)
{
    /// <summary>
    /// A scaled-orthographic fit of a generic 3-D face to six of the 68 landmarks (nose tip 30,
    /// chin 8, outer eye corners 36 and 45, mouth corners 48 and 54): the least-squares 2x3
    /// projection of the centred model points onto the centred image points, its two rows made
    /// orthonormal and completed to a rotation. Coarse: a generic face and no perspective; see
    /// docs/faces.md for how far it can be trusted.
    /// </summary>
    public static HeadPose Estimate(FaceLandmarks68 landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        var points = landmarks.Points;
        Span<double> u = stackalloc double[ModelIndices.Length];
        Span<double> v = stackalloc double[ModelIndices.Length];
        double meanU = 0, meanV = 0;
        for (var i = 0; i < ModelIndices.Length; i++)
        {
            u[i] = points[ModelIndices[i]].X;
            v[i] = -points[ModelIndices[i]].Y; // y up, as the model's
            meanU += u[i];
            meanV += v[i];
        }

        meanU /= ModelIndices.Length;
        meanV /= ModelIndices.Length;

        // Rows of M = (sum p2 P^T) (sum P P^T)^-1, P the centred model points.
        Span<double> row0 = stackalloc double[3];
        Span<double> row1 = stackalloc double[3];
        for (var j = 0; j < 3; j++)
        {
            for (var i = 0; i < ModelIndices.Length; i++)
            {
                double projected = 0;
                for (var k = 0; k < 3; k++)
                {
                    projected += CentredModel[i][k] * ModelGramInverse[k][j];
                }

                row0[j] += (u[i] - meanU) * projected;
                row1[j] += (v[i] - meanV) * projected;
            }
        }

        var r0 = Normalise(row0[0], row0[1], row0[2]);
        var r1 = Normalise(row1[0], row1[1], row1[2]);
        var r2 = Normalise(Cross(r0, r1));
        r1 = Cross(r2, r0); // orthonormal again, closest to the fitted second row

        // R = Ry(yaw) Rx(b) Rz(c): R[1] = (cos b sin c, cos b cos c, -sin b), R[.][2] = (sin a cos b, ., cos a cos b).
        var yaw = Math.Atan2(r0.Z, r2.Z);
        var b = -Math.Asin(Math.Clamp(r1.Z, -1, 1));
        var c = Math.Atan2(r1.X, r1.Y);
        return new HeadPose(Degrees(yaw), Degrees(-b), Degrees(-c));
    }

    // A generic face in millimetres-like units (x right as seen in the image, y up, z towards the camera).
    private static readonly int[] ModelIndices = [30, 8, 36, 45, 48, 54];

    private static readonly double[][] Model =
    [
        [0, 0, 0],
        [0, -330, -65],
        [-225, 170, -135],
        [225, 170, -135],
        [-150, -150, -125],
        [150, -150, -125],
    ];

    private static readonly double[][] CentredModel = Centre(Model);

    private static readonly double[][] ModelGramInverse = Invert(Gram(CentredModel));

    private static double Degrees(double radians) => radians * 180 / Math.PI;

    private static (double X, double Y, double Z) Normalise(double x, double y, double z)
    {
        var n = Math.Sqrt((x * x) + (y * y) + (z * z));
        return n > 0 ? (x / n, y / n, z / n) : (0, 0, 0);
    }

    private static (double X, double Y, double Z) Normalise((double X, double Y, double Z) p) => Normalise(p.X, p.Y, p.Z);

    private static (double X, double Y, double Z) Cross((double X, double Y, double Z) a, (double X, double Y, double Z) b) =>
        ((a.Y * b.Z) - (a.Z * b.Y), (a.Z * b.X) - (a.X * b.Z), (a.X * b.Y) - (a.Y * b.X));

    private static double[][] Centre(double[][] points)
    {
        var mean = new double[3];
        foreach (var p in points)
        {
            for (var k = 0; k < 3; k++)
            {
                mean[k] += p[k] / points.Length;
            }
        }

        return [.. points.Select(p => new[] { p[0] - mean[0], p[1] - mean[1], p[2] - mean[2] })];
    }

    private static double[][] Gram(double[][] points)
    {
        var g = new double[3][] { new double[3], new double[3], new double[3] };
        foreach (var p in points)
        {
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    g[r][c] += p[r] * p[c];
                }
            }
        }

        return g;
    }

    private static double[][] Invert(double[][] m)
    {
        var det = (m[0][0] * ((m[1][1] * m[2][2]) - (m[1][2] * m[2][1])))
            - (m[0][1] * ((m[1][0] * m[2][2]) - (m[1][2] * m[2][0])))
            + (m[0][2] * ((m[1][0] * m[2][1]) - (m[1][1] * m[2][0])));
        double Cofactor(int r, int c)
        {
            int r0 = (r + 1) % 3, r1 = (r + 2) % 3, c0 = (c + 1) % 3, c1 = (c + 2) % 3;
            return (m[r0][c0] * m[r1][c1]) - (m[r0][c1] * m[r1][c0]);
        }

        // The inverse is the transposed cofactor matrix over the determinant.
        return [.. Enumerable.Range(0, 3).Select(r => Enumerable.Range(0, 3).Select(c => Cofactor(c, r) / det).ToArray())];
    }
}
