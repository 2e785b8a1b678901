using System.Text.Json;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Tests;
using Xunit.Abstractions;

namespace EdgeEmotion.Runtime.Tests.Faces;

/// <summary>
/// The ONNX face models against the PyTorch goldens (models/faceapi/export_face.py), and the
/// runtime's input builders against the Python pipeline that cut the golden inputs.
/// </summary>
public sealed class FaceModelGoldenTests(ITestOutputHelper output) : IDisposable
{
    private readonly FaceNetSessions models = new();

    [Fact]
    public void Every_model_reproduces_its_PyTorch_goldens()
    {
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(FaceNetSessions.Folder, "golden", "cases.json")));
        var tolerance = cases.RootElement.GetProperty("tolerance").GetDouble();
        var count = 0;
        foreach (var c in cases.RootElement.GetProperty("cases").EnumerateArray())
        {
            var session = models.ByFile(c.GetProperty("model").GetString()!);
            var input = NpyArray.Read(Path.Combine(FaceNetSessions.Folder, c.GetProperty("inputs").EnumerateObject().Single().Value.GetString()!));
            var expected = NpyArray.Read(Path.Combine(FaceNetSessions.Folder, c.GetProperty("outputs").EnumerateObject().Single().Value.GetString()!));
            input.Data.CopyTo(session.Input(0));
            session.Run();
            var error = MaxAbsError(session.Output(0), expected.Data);
            output.WriteLine($"{session.Spec.File,-28} {c.GetProperty("outputs").EnumerateObject().Single().Value.GetString(),-48} max |error| {error:E2}");
            Assert.True(error <= tolerance, $"{session.Spec.File}: max error {error} over {tolerance}");
            count++;
        }

        Assert.Equal(12, count);
    }

    [Theory]
    [InlineData("face_000")]
    [InlineData("people4")]
    [InlineData("monalisa")]
    public void The_input_builders_reproduce_the_golden_inputs(string frameName)
    {
        var frame = FaceNetSessions.LoadFrame(Path.Combine(FaceNetSessions.Folder, "golden", "frames", frameName + ".npy"));
        var golden = Path.Combine(FaceNetSessions.Folder, "golden", frameName);

        var detectorInput = new DetectorInput(FaceNetSessions.DetectorSize);
        var image = new float[detectorInput.Length];
        detectorInput.Write(FaceNetSessions.Image(frame), image);
        Assert.Equal(NpyArray.Read(golden + "_image.npy").Data, image);

        image.CopyTo(models.Detector.Input(0));
        models.Detector.Run();
        var faces = new TinyFaceDetectorDecoder(FaceNetSessions.DetectorSize).Decode(models.Detector.Output(0), frame.Width, frame.Height);
        Assert.NotEmpty(faces);

        var crop = new float[FaceCropInput.Length];
        var region = FaceCropInput.Write(FaceNetSessions.Image(frame), faces[0].Box, crop);
        var cropError = MaxAbsError(crop, NpyArray.Read(golden + "_face0_landmark_crop.npy").Data);

        crop.CopyTo(models.Landmarks.Input(0));
        models.Landmarks.Run();
        var landmarks = FaceLandmarks68.Decode(models.Landmarks.Output(0), region, new FacePoint(faces[0].Box.X, faces[0].Box.Y));
        FaceCropInput.Write(FaceNetSessions.Image(frame), landmarks.AlignedBox(), crop);
        var alignedError = MaxAbsError(crop, NpyArray.Read(golden + "_face0_expression_crop.npy").Data);

        output.WriteLine($"{frameName}: {faces.Count} faces, landmark crop max |error| {cropError:E2}, expression crop {alignedError:E2} (grey levels)");
        Assert.True(cropError <= 1e-3, $"landmark crop differs by {cropError}");
        Assert.True(alignedError <= 1e-3, $"expression crop differs by {alignedError}");
    }

    [Fact]
    public void A_golden_holding_NaN_fails_the_open_instead_of_passing()
    {
        // |x - NaN| is NaN, and NaN > tolerance is false: the open's check used to pass it.
        using var copy = PackCopy.Of(FaceNetSessions.Folder);
        using var cases = JsonDocument.Parse(File.ReadAllText(copy.PathOf(FaceModels.GoldenCasesFile)));
        var landmarkCase = cases.RootElement.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("model").GetString() == FaceModels.LandmarkFile);
        var golden = copy.PathOf(landmarkCase.GetProperty("outputs").EnumerateObject().Single().Value.GetString()!);
        var bytes = File.ReadAllBytes(golden);
        var dataStart = 10 + BitConverter.ToUInt16(bytes, 8); // .npy v1: magic, version, header length, header
        BitConverter.TryWriteBytes(bytes.AsSpan(dataStart), float.NaN);
        File.WriteAllBytes(golden, bytes);

        var e = Assert.Throws<EdgeEmotion.Runtime.Packs.ModelPackException>(() => FaceModels.Open(copy.Directory, CpuSessions.Factory()));

        Assert.Equal(EdgeEmotion.Runtime.Packs.PackErrorKind.InvalidModel, e.Kind);
        Assert.Equal(FaceModels.LandmarkFile, e.Location);
        Assert.Contains("output differs from its golden", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_face_model_has_an_fp16_bound_for_tensorrt_at_least_its_fp32_one()
    {
        // Without one an FP16 engine on the device would open unchecked (FaceModels skips it).
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(FaceNetSessions.Folder, FaceModels.GoldenCasesFile)));
        var tolerance = cases.RootElement.GetProperty("tolerance").GetDouble();
        var fp16 = cases.RootElement.GetProperty("fp16Tolerance");

        foreach (var model in Directory.EnumerateFiles(FaceNetSessions.Folder, "*.onnx").Select(Path.GetFileName))
        {
            Assert.True(fp16.TryGetProperty(model!, out var bound), $"{model} has no fp16Tolerance");
            Assert.InRange(bound.GetDouble(), tolerance, 1.0);
        }
    }

    public void Dispose() => models.Dispose();

    /// <summary>The runtime's measure (<see cref="GoldenSelfTest.MaxAbsError"/>: NaN counts as infinitely wrong), with the lengths asserted.</summary>
    internal static double MaxAbsError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        return GoldenSelfTest.MaxAbsError(actual, expected);
    }
}
