using System.Globalization;
using System.Text.Json;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Tests;
using Xunit.Abstractions;

namespace EdgeEmotion.Runtime.Tests.Faces;

/// <summary>
/// The aligned crop against a numpy reference (align_reference.py: Umeyama by SVD and its own
/// bilinear warp): the same five points in, the same pixels out within one grey level.
/// </summary>
public sealed class FaceAlignmentTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-align-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_similarity_estimate_recovers_a_known_transform_and_never_reflects()
    {
        var known = new SimilarityTransform(1.7 * Math.Cos(0.4), 1.7 * Math.Sin(0.4), 12.5, -7.25);
        var source = AlignmentTemplate.ArcFace112.Points;
        var target = source.Select(known.Apply).ToList();

        var estimated = SimilarityTransform.Estimate(source, target);

        Assert.Equal(known.A, estimated.A, 9);
        Assert.Equal(known.B, estimated.B, 9);
        Assert.Equal(known.Tx, estimated.Tx, 9);
        Assert.Equal(known.Ty, estimated.Ty, 9);
        var back = estimated.Inverse().Apply(estimated.Apply(new FacePoint(3, 4)));
        Assert.Equal(3, back.X, 9);
        Assert.Equal(4, back.Y, 9);

        // Mirrored points: the best proper similarity, not a reflection (positive determinant by construction).
        var mirrored = SimilarityTransform.Estimate(source, source.Select(p => new FacePoint(-p.X, p.Y)).ToList());
        Assert.True(mirrored.Scale < 1, $"a reflection cannot be fitted, so the scale shrinks: {mirrored.Scale}");
    }

    [Fact]
    public void The_template_with_a_margin_is_shrunk_towards_the_centre()
    {
        var template = AlignmentTemplate.ArcFace112.WithOutput(224, 224, margin: 0.1);
        var targets = template.TargetPoints();

        Assert.Equal(22.4 + (38.2946 * 179.2 / 112), targets[0].X, 9);
        Assert.Equal(AlignmentTemplate.ArcFace112.Points, AlignmentTemplate.ArcFace112.TargetPoints());
        Assert.Throws<ArgumentOutOfRangeException>(() => AlignmentTemplate.ArcFace112.WithOutput(112, 112, margin: 0.5));
        Assert.Throws<ArgumentException>(() => new AlignmentTemplate([new(1, 1)], 112, 112));
    }

    public static TheoryData<string, int, double> Cases => new()
    {
        { "face_000", 112, 0 },
        { "face_180", 112, 0 },
        { "people4", 112, 0 },
        { "monalisa", 112, 0 },
        { "face_jpg", 128, 0.1 }, // another size and a margin
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_aligned_crop_matches_the_numpy_reference_within_one_grey_level(string frameName, int size, double margin)
    {
        var framePath = Path.Combine(FaceNetSessions.Folder, "golden", "frames", frameName + ".npy");
        var frame = FaceNetSessions.LoadFrame(framePath);
        using var models = FaceModels.Open(FaceNetSessions.Folder, CpuSessions.Factory(), verifyGoldens: false);
        var template = AlignmentTemplate.ArcFace112.WithOutput(size, size, margin);
        var frontEnd = new FaceFrontEnd(models, new FaceFrontEndOptions { Template = template });
        var face = frontEnd.Process(FaceNetSessions.Image(frame)).Face;
        Assert.NotNull(face);

        var request = Path.Combine(folder, "request.json");
        var reference = Path.Combine(folder, "reference.npy");
        await File.WriteAllTextAsync(request, JsonSerializer.Serialize(new
        {
            source = face.FivePoints.ToList().Select(p => new[] { p.X, p.Y }),
            target = template.TargetPoints().Select(p => new[] { p.X, p.Y }),
            width = size,
            height = size,
        }));
        var run = await PythonScript.RunAsync(PythonScript.Repo("tests", "Runtime.Tests", "Faces", "align_reference.py"), framePath, request, reference);
        Assert.True(run.ExitCode == 0, run.ToString());

        var matrix = JsonSerializer.Deserialize<double[][]>(run.Output)!;
        var a = face.Alignment;
        Assert.Equal(matrix[0][0], a.A, 9);
        Assert.Equal(matrix[1][0], a.B, 9);
        Assert.Equal(matrix[0][2], a.Tx, 7);
        Assert.Equal(matrix[1][2], a.Ty, 7);

        var expected = NpyArray.Read(reference);
        Assert.Equal([size, size, 3], expected.Shape);
        var worst = 0.0;
        var differing = 0;
        for (var i = 0; i < expected.Data.Length; i++)
        {
            var difference = Math.Abs(face.AlignedCrop[i] - expected.Data[i]);
            worst = Math.Max(worst, difference);
            differing += difference > 0 ? 1 : 0;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{frameName} {size}x{size} margin {margin}: max |difference| {worst} grey levels, {differing} of {expected.Data.Length} values differ; scale {a.Scale:F4}, rotation {a.RotationDegrees:F2} deg"));
        Assert.True(worst <= 1, $"{frameName}: the aligned crop differs from the numpy reference by {worst} grey levels");
    }
}
