using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Tests;
using Xunit.Abstractions;

namespace EdgeEmotion.Runtime.Tests.Faces;

/// <summary>
/// Our ONNX face models and runtime types against face-api.js itself (models/faceapi/reference.cjs:
/// @vladmandic/face-api 1.7.15 on TF.js's CPU backend), on the same raw RGB frames: the
/// committed photo and video, a still of four people and a painting. Raw outputs on the reference's own
/// input tensors within a tight tolerance; then the whole chain from pixels (input builders,
/// grid decoding and NMS, landmark decoding, the expression box) against face-api's decoded
/// results: boxes IoU >= 0.95, landmarks within 1 px mean at 320x240, expressions within 1e-3.
/// </summary>
public sealed class FaceApiReferenceTests(ITestOutputHelper output) : IDisposable
{
    private const double RawTolerance = 2e-4;
    private const double MinIou = 0.95;
    private const double MaxMeanLandmarkPixels = 1.0;
    private const double MaxExpressionError = 1e-3;

    private readonly FaceNetSessions models = new();
    private readonly string workDirectory = Directory.CreateTempSubdirectory("edgeemo-faceapi-").FullName;

    [Fact]
    public async Task Our_models_and_decoding_match_face_api_js_on_the_same_frames()
    {
        // The committed frames (320x240, and the 320x320 photo), plus a 256x192 cut of one,
        // which the detector input has to resample (320-wide frames are only padded).
        var committed = FaceNetSessions.Frames.ToArray();
        var face000 = committed.Single(f => Path.GetFileNameWithoutExtension(f) == "face_000");
        var frames = committed.Append(WriteCut(face000, "face_000_cut256", 32, 24, 256, 192)).ToArray();
        var reference = await RunReferenceAsync(frames);
        var decoder = new TinyFaceDetectorDecoder(FaceNetSessions.DetectorSize);
        var detectorInput = new DetectorInput(FaceNetSessions.DetectorSize);
        var crop = new float[FaceCropInput.Length];

        double worstIou = 1, worstLandmarks = 0, worstTinyLandmarks = 0, worstExpression = 0, worstRaw = 0, worstInput = 0;
        var faceCount = 0;
        output.WriteLine($"face-api {reference.GetProperty("faceApi").GetString()}, tfjs {reference.GetProperty("tfjs").GetString()} on '{reference.GetProperty("backend").GetString()}'; detector input {FaceNetSessions.DetectorSize}");
        output.WriteLine("frame          faces  IoU(min)  landmarks mean px (max over faces)  expressions max |error|  raw max |error|");
        foreach (var frameResult in reference.GetProperty("frames").EnumerateArray())
        {
            var name = frameResult.GetProperty("name").GetString()!;
            var frame = FaceNetSessions.LoadFrame(frames.Single(f => Path.GetFileNameWithoutExtension(f) == name));
            var expectedFaces = frameResult.GetProperty("faces").EnumerateArray().ToArray();

            // Detector: our input builder against face-api's tensor, our model on its tensor.
            var input = new float[detectorInput.Length];
            detectorInput.Write(FaceNetSessions.Image(frame), input);
            worstInput = Math.Max(worstInput, FaceModelGoldenTests.MaxAbsError(input, ToNchw(Load(name, "detector_input"))));
            var rawError = RunOn(models.Detector, ToNchw(Load(name, "detector_input")), Load(name, "detector_grid"));

            input.CopyTo(models.Detector.Input(0));
            models.Detector.Run();
            var faces = decoder.Decode(models.Detector.Output(0), frame.Width, frame.Height);
            Assert.True(expectedFaces.Length == faces.Count, $"{name}: face-api finds {expectedFaces.Length} faces, we find {faces.Count}");

            double frameIou = 1, frameLandmarks = 0, frameExpression = 0;
            for (var k = 0; k < faces.Count; k++)
            {
                var expected = expectedFaces[k];
                var face = faces[k];
                var iou = face.Box.Iou(Box(expected.GetProperty("box")));
                Assert.True(Math.Abs(face.Score - expected.GetProperty("score").GetDouble()) < 1e-3, $"{name} face {k}: score {face.Score} vs {expected.GetProperty("score").GetDouble()}");

                // Landmarks: raw on face-api's crop (full and tiny nets), then from our own crop.
                var landmarkInput = ToNchw(Load(name, $"face{k}.landmark_input"));
                rawError = Math.Max(rawError, RunOn(models.Landmarks, landmarkInput, Load(name, $"face{k}.landmark_raw")));
                rawError = Math.Max(rawError, RunOn(models.LandmarksTiny, landmarkInput, Load(name, $"face{k}.landmark_tiny_raw")));
                var region = FaceCropInput.Write(FaceNetSessions.Image(frame), face.Box, crop);
                worstInput = Math.Max(worstInput, FaceModelGoldenTests.MaxAbsError(crop, landmarkInput));
                crop.CopyTo(models.Landmarks.Input(0));
                models.Landmarks.Run();
                var origin = new FacePoint(face.Box.X, face.Box.Y);
                var landmarks = FaceLandmarks68.Decode(models.Landmarks.Output(0), region, origin);
                var expectedPoints = expected.GetProperty("landmarks").EnumerateArray()
                    .Select(p => new FacePoint(p[0].GetDouble(), p[1].GetDouble())).ToArray();
                var landmarkError = landmarks.Points.Zip(expectedPoints, (a, b) => a.DistanceTo(b)).Average();

                // The tiny net against the full one's reference points: how far apart the two nets are.
                crop.CopyTo(models.LandmarksTiny.Input(0));
                models.LandmarksTiny.Run();
                var tiny = FaceLandmarks68.Decode(models.LandmarksTiny.Output(0), region, origin);
                worstTinyLandmarks = Math.Max(worstTinyLandmarks, tiny.Points.Zip(expectedPoints, (a, b) => a.DistanceTo(b)).Average());

                // Expressions: raw on face-api's aligned crop, then from our own aligned box.
                rawError = Math.Max(rawError, RunOn(models.Expressions, ToNchw(Load(name, $"face{k}.expression_input")), Load(name, $"face{k}.expression_raw")));
                var alignedIou = landmarks.AlignedBox().Iou(Box(expected.GetProperty("alignedBox")));
                FaceCropInput.Write(FaceNetSessions.Image(frame), landmarks.AlignedBox(), crop);
                crop.CopyTo(models.Expressions.Input(0));
                models.Expressions.Run();
                var expectedProbabilities = expected.GetProperty("expressions").EnumerateArray().Select(p => (float)p.GetDouble()).ToArray();
                var expressionError = FaceModelGoldenTests.MaxAbsError(models.Expressions.Output(0), expectedProbabilities);

                Assert.True(iou >= MinIou, $"{name} face {k}: box IoU {iou:F4} with face-api's, under {MinIou}");
                Assert.True(alignedIou >= MinIou, $"{name} face {k}: aligned box IoU {alignedIou:F4} with face-api's");
                Assert.True(landmarkError <= MaxMeanLandmarkPixels, $"{name} face {k}: landmarks {landmarkError:F3} px from face-api's on average");
                Assert.True(expressionError <= MaxExpressionError, $"{name} face {k}: expression probabilities differ by {expressionError:E2}");
                frameIou = Math.Min(frameIou, iou);
                frameLandmarks = Math.Max(frameLandmarks, landmarkError);
                frameExpression = Math.Max(frameExpression, expressionError);
                faceCount++;
            }

            Assert.True(rawError <= RawTolerance, $"{name}: raw outputs differ from face-api's by {rawError:E2} on the same input tensors");
            worstIou = Math.Min(worstIou, frameIou);
            worstLandmarks = Math.Max(worstLandmarks, frameLandmarks);
            worstExpression = Math.Max(worstExpression, frameExpression);
            worstRaw = Math.Max(worstRaw, rawError);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-15} {faces.Count,2}  {(faces.Count > 0 ? frameIou.ToString("F6", CultureInfo.InvariantCulture) : "-"),8}  {frameLandmarks,34:F4}  {frameExpression,23:E2}  {rawError,15:E2}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"figures: face-api.js reference, {frames.Length} frames, {faceCount} faces: box IoU >= {worstIou:F6}; landmarks <= {worstLandmarks:F4} px mean (320x240 frames, a 320x320 photo, a 256x192 cut); expressions <= {worstExpression:E2}; raw outputs <= {worstRaw:E2}; input tensors <= {worstInput:E2} grey levels"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(the tiny landmark net is {worstTinyLandmarks:F2} px mean from the full net's reference points at worst)"));
        Assert.True(faceCount >= 6, $"only {faceCount} faces in the reference frames");
        Assert.True(worstInput <= 1e-3, $"our input tensors differ from face-api's by {worstInput} grey levels");
        ReportRunTimes(FaceNetSessions.LoadFrame(frames.Single(f => Path.GetFileNameWithoutExtension(f) == "face_000")));
    }

    public void Dispose()
    {
        models.Dispose();
        Directory.Delete(workDirectory, recursive: true);
    }

    // Informative only (never asserted): what each step costs on this machine, CPU provider, 1 thread.
    private void ReportRunTimes((byte[] Pixels, int Width, int Height) frame)
    {
        foreach (var session in new[] { models.Detector, models.Landmarks, models.LandmarksTiny, models.Expressions })
        {
            Report(session.Spec.File, () => session.Run());
        }

        var detectorInput = new DetectorInput(FaceNetSessions.DetectorSize);
        var input = new float[detectorInput.Length];
        var crop = new float[FaceCropInput.Length];
        var decoder = new TinyFaceDetectorDecoder(FaceNetSessions.DetectorSize);
        Report("DetectorInput.Write (320x240 frame)", () => detectorInput.Write(FaceNetSessions.Image(frame), input));
        Report("FaceCropInput.Write (150x132 box)", () => FaceCropInput.Write(FaceNetSessions.Image(frame), new FaceBox(89.3, 70.5, 150.5, 131.8), crop));
        input.CopyTo(models.Detector.Input(0));
        models.Detector.Run();
        var grid = models.Detector.Output(0).ToArray();
        Report("TinyFaceDetectorDecoder.Decode", () => decoder.Decode(grid, frame.Width, frame.Height));

        void Report(string what, Action step)
        {
            step();
            const int runs = 10;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < runs; i++)
            {
                step();
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {clock.Elapsed.TotalMilliseconds / runs:F2} ms (informative)"));
        }
    }

    private async Task<JsonElement> RunReferenceAsync(string[] frames)
    {
        var script = Path.Combine(TestPaths.RepoRoot, "models", "faceapi", "reference.cjs");
        var package = Path.Combine(TestPaths.RepoRoot, "models", "faceapi", "node_modules", "@vladmandic", "face-api", "package.json");
        ToolResult result;
        try
        {
            result = await ToolRun.RunAsync("node", [script, "--out", workDirectory, "--input-size", FaceNetSessions.DetectorSize.ToString(CultureInfo.InvariantCulture), .. frames], ToolRun.DefaultLimit);
        }
        catch (Win32Exception)
        {
            Assert.Fail("node is not on PATH: the face-api.js reference comparison needs Node.js (Debian: apt-get install nodejs npm) and `make setup`");
            throw;
        }

        Assert.True(File.Exists(package), "models/faceapi/node_modules is missing: run `make setup` (scripts/setup-faceapi.sh installs @vladmandic/face-api with npm ci)");
        Assert.True(result.ExitCode == 0, $"the face-api.js reference failed: {result}");
        output.WriteLine(result.Output.Trim());
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(workDirectory, "results.json")));
        return document.RootElement.Clone();
    }

    // A region of a committed frame as a new uint8 .npy frame in the work folder.
    private string WriteCut(string framePath, string name, int x, int y, int width, int height)
    {
        var frame = FaceNetSessions.LoadFrame(framePath);
        var header = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '|u1', 'fortran_order': False, 'shape': ({height}, {width}, 3), }}").PadRight(117) + "\n";
        using var file = File.Create(Path.Combine(workDirectory, name + ".npy"));
        file.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
        file.Write(System.Text.Encoding.Latin1.GetBytes(header));
        for (var row = y; row < y + height; row++)
        {
            file.Write(frame.Pixels, ((row * frame.Width) + x) * 3, width * 3);
        }

        return file.Name;
    }

    private float[] Load(string frame, string tensor) => NpyArray.Read(Path.Combine(workDirectory, $"{frame}.{tensor}.npy")).Data;

    // Runs a model on an input and returns the largest difference from the expected output.
    private static double RunOn(ModelSession session, float[] input, float[] expected)
    {
        input.CopyTo(session.Input(0));
        session.Run();
        return FaceModelGoldenTests.MaxAbsError(session.Output(0), expected);
    }

    // face-api's tensors are NHWC [1, S, S, 3]; our models take NCHW.
    private static float[] ToNchw(float[] nhwc)
    {
        var plane = nhwc.Length / 3;
        var nchw = new float[nhwc.Length];
        for (var i = 0; i < plane; i++)
        {
            nchw[i] = nhwc[3 * i];
            nchw[plane + i] = nhwc[(3 * i) + 1];
            nchw[(2 * plane) + i] = nhwc[(3 * i) + 2];
        }

        return nchw;
    }

    private static FaceBox Box(JsonElement box) => new(
        box.GetProperty("x").GetDouble(),
        box.GetProperty("y").GetDouble(),
        box.GetProperty("width").GetDouble(),
        box.GetProperty("height").GetDouble());
}
