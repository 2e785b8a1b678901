using System.Globalization;
using System.Text.Json;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Runtime.Tests.Faces;
using EdgeEmotion.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeEmotion.Runtime.Tests.Preprocessing;

/// <summary>
/// The trained front end inside the pipeline: the crop each recipe names, normalised as the pack
/// says, checked against a numpy reference (align_reference.py), and the reasons a face is refused.
/// </summary>
public sealed class LandmarkFaceCropperTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-cropper-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string, string> Cases => new()
    {
        { "affect-tiny", "face_000" },
        { "affect-tiny", "people4" },
        { "pain-tiny", "face_180" },
        { "pain-tiny", "monalisa" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_tiny_packs_aligned_crop_matches_the_numpy_reference_within_one_grey_level(string packId, string frameName)
    {
        var spec = VisualSpec(packId);
        Assert.Equal(new FaceRecipeSpec { Detector = FaceDetectors.TinyFaceDetector, Crop = FaceCrops.Aligned }, spec.Face);
        var framePath = Path.Combine(FaceNetSessions.Folder, "golden", "frames", frameName + ".npy");
        using var bgr = Bgr(framePath);
        using var cropper = new LandmarkFaceCropper(spec, OpenModels());
        var destination = new float[3 * spec.Width * spec.Height];

        Assert.Null(cropper.CropFace(bgr, destination));

        // Same landmarks in: the five points the cropper found, onto ArcFace's template at the pack's size.
        var face = cropper.LastFrame!.Face!;
        var request = Path.Combine(folder, "request.json");
        var reference = Path.Combine(folder, "reference.npy");
        await File.WriteAllTextAsync(request, JsonSerializer.Serialize(new
        {
            source = face.FivePoints.ToList().Select(p => new[] { p.X, p.Y }),
            target = AlignmentTemplate.ArcFace112.WithOutput(spec.Width, spec.Height).TargetPoints().Select(p => new[] { p.X, p.Y }),
            width = spec.Width,
            height = spec.Height,
        }));
        var run = await PythonScript.RunAsync(PythonScript.Repo("tests", "Runtime.Tests", "Faces", "align_reference.py"), framePath, request, reference);
        Assert.True(run.ExitCode == 0, run.ToString());

        // Same pixels out: undo the pack's normalisation (RGB planes) and compare with the reference's RGB bytes.
        var expected = NpyArray.Read(reference);
        var plane = spec.Width * spec.Height;
        var worst = 0.0;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var grey = ((destination[(c * plane) + i] * spec.Std[c]) + spec.Mean[c]) / spec.Scale;
                worst = Math.Max(worst, Math.Abs(grey - expected.Data[(i * 3) + c]));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{packId} {frameName}: max |difference| {worst:F4} grey levels over {3 * plane} values"));
        Assert.True(worst <= 1 + 1e-3, $"{packId} {frameName}: the pipeline's aligned crop differs from the numpy reference by {worst} grey levels");
    }

    [Fact]
    public void A_landmark_box_crop_is_face_api_s_padded_square_of_the_landmarks_box()
    {
        var spec = Spec(new FaceRecipeSpec { Detector = FaceDetectors.TinyFaceDetector, Crop = FaceCrops.LandmarkBox });
        var framePath = Path.Combine(FaceNetSessions.Folder, "golden", "frames", "face_000.npy");
        using var bgr = Bgr(framePath);
        using var cropper = new LandmarkFaceCropper(spec, OpenModels());
        var destination = new float[3 * 112 * 112];

        Assert.Null(cropper.CropFace(bgr, destination));

        // face-api's own crop of that box for its 112x112 nets, normalised by the pack's formula.
        var square = new float[3 * 112 * 112];
        FaceCropInput.Write(MatImage.View(bgr), cropper.LastFrame!.Face!.Landmarks.AlignedBox(), square);
        for (var i = 0; i < square.Length; i++)
        {
            var c = i / (112 * 112);
            Assert.Equal((float)(((square[i] * spec.Scale) - spec.Mean[c]) / spec.Std[c]), destination[i]);
        }
    }

    [Fact]
    public void A_box_crop_follows_the_detector_s_box()
    {
        var spec = Spec(new FaceRecipeSpec { Detector = FaceDetectors.TinyFaceDetector, Crop = FaceCrops.Box, Margin = 0.1 });
        using var bgr = Bgr(Path.Combine(FaceNetSessions.Folder, "golden", "frames", "face_000.npy"));
        using var cropper = new LandmarkFaceCropper(spec, OpenModels());
        var destination = new float[3 * 112 * 112];

        Assert.Null(cropper.CropFace(bgr, destination));

        var square = new float[3 * 112 * 112];
        FaceCropInput.Write(MatImage.View(bgr), cropper.LastFrame!.Face!.Track.Detection.Box.Grow(0.2), square);
        Assert.Equal((float)(((square[5000] * spec.Scale) - spec.Mean[0]) / spec.Std[0]), destination[5000]);
    }

    [Fact]
    public void A_face_too_small_turned_away_or_absent_is_refused_with_its_reason_and_nothing_written()
    {
        var spec = Spec(new FaceRecipeSpec { Detector = FaceDetectors.TinyFaceDetector, Crop = FaceCrops.Aligned });
        using var bgr = Bgr(Path.Combine(FaceNetSessions.Folder, "golden", "frames", "face_000.npy"));
        using var black = new Mat(bgr.Rows, bgr.Cols, MatType.CV_8UC3, Scalar.Black);
        var destination = new float[3 * 112 * 112];

        using (var small = new LandmarkFaceCropper(spec, OpenModels(), new FaceFrontEndOptions { MinFaceSize = 10_000 }))
        {
            Assert.Equal(MissingReasons.FaceTooSmall, small.CropFace(bgr, destination));
        }

        using (var turned = new LandmarkFaceCropper(spec, OpenModels(), new FaceFrontEndOptions { MaxYaw = 0.01 }))
        {
            Assert.Equal(MissingReasons.FaceTurnedAway, turned.CropFace(bgr, destination));
        }

        using (var none = new LandmarkFaceCropper(spec, OpenModels()))
        {
            Assert.Equal(MissingReasons.NoFace, none.CropFace(black, destination));
            Assert.True(none.DetectionTime > TimeSpan.Zero);
        }

        Assert.All(destination, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void The_recipe_picks_the_front_end_and_the_trained_one_needs_the_face_models()
    {
        var haar = Spec(null);
        using (var cropper = FaceCroppers.Create("p", haar, null, null))
        {
            Assert.IsType<FaceCropper>(cropper);
        }

        var aligned = Spec(new FaceRecipeSpec { Detector = FaceDetectors.TinyFaceDetector, Crop = FaceCrops.Aligned });
        var e = Assert.Throws<ArgumentException>(() => FaceCroppers.Create("p", aligned, null, null));
        Assert.Contains("the face models folder is needed (--face-models, faces.modelsDirectory)", e.Message, StringComparison.Ordinal);

        using (var cropper = FaceCroppers.Create("p", aligned, null, new FaceModelFolder(FaceNetSessions.Folder, CpuSessions.Factory())))
        {
            Assert.IsType<LandmarkFaceCropper>(cropper);
        }

        var missing = Assert.Throws<ModelPackException>(() => FaceCroppers.Create("p", aligned, null, new FaceModelFolder(Path.Combine(folder, "none"), CpuSessions.Factory())));
        Assert.Contains("the face model folder does not exist", missing.Message, StringComparison.Ordinal);
    }

    private static FaceModels OpenModels() => FaceModels.Open(FaceNetSessions.Folder, CpuSessions.Factory(), verifyGoldens: false);

    private static VideoSpec VisualSpec(string packId) =>
        ModelPackLoader.Load(TestPaths.Pack(packId)).Manifest.Streams.Single(b => b.Spec.FaceClip is not null).Spec.FaceClip!;

    private static VideoSpec Spec(FaceRecipeSpec? face) => VisualSpec("affect-tiny") with { Face = face };

    // The committed frames are RGB; the sources deliver BGR.
    private static Mat Bgr(string npyPath)
    {
        var (pixels, width, height) = FaceNetSessions.LoadFrame(npyPath);
        using var rgb = Mat.FromPixelData(height, width, MatType.CV_8UC3, pixels);
        var bgr = new Mat();
        Cv2.CvtColor(rgb, bgr, ColorConversionCodes.RGB2BGR);
        return bgr;
    }
}
