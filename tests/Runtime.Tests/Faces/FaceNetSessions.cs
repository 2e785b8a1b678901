using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Faces;

/// <summary>
/// All four committed face-api.js nets (models/face) as raw CPU sessions for the parity tests
/// (the runtime's FaceModels opens only the detector and landmarks, for the front end).
/// </summary>
internal sealed class FaceNetSessions : IDisposable
{
    public const int DetectorSize = 320;

    /// <param name="folder">Where the .onnx files are: models/face unless a fresh export is tested.</param>
    public FaceNetSessions(string? folder = null)
    {
        // The runtime's description of the folder (FaceModelFiles), plus the expression net it does not open.
        var full = FaceModelFiles.Read(folder ?? Folder);
        var tiny = FaceModelFiles.Read(folder ?? Folder, tinyLandmarks: true);
        var factory = CpuSessions.Factory();
        Detector = factory.Open(full.Pack, "tiny_face_detector", full.Detector);
        Landmarks = factory.Open(full.Pack, "face_landmark_68", full.Landmarks);
        LandmarksTiny = factory.Open(tiny.Pack, "face_landmark_68_tiny", tiny.Landmarks);
        Expressions = factory.Open(full.Pack, "face_expression", new ModelFileSpec
        {
            File = "face_expression.onnx",
            Inputs = [new TensorSpec { Name = "face", ElementType = "float32", Shape = [1, 3, 112, 112] }],
            Outputs = [new TensorSpec { Name = "probabilities", ElementType = "float32", Shape = [1, 7] }],
        });
    }

    public static string Folder => TestPaths.FaceModels;

    public static IEnumerable<string> Frames => Directory.GetFiles(Path.Combine(Folder, "golden", "frames"), "*.npy").Order(StringComparer.Ordinal);

    public ModelSession Detector { get; }

    public ModelSession Landmarks { get; }

    public ModelSession LandmarksTiny { get; }

    public ModelSession Expressions { get; }

    public ModelSession ByFile(string file) => new[] { Detector, Landmarks, LandmarksTiny, Expressions }.Single(s => s.Spec.File == file);

    /// <summary>A committed frame (uint8 [height, width, 3] RGB) as packed bytes.</summary>
    public static (byte[] Pixels, int Width, int Height) LoadFrame(string path)
    {
        var array = NpyArray.Read(path);
        Assert.Equal(3, array.Shape.Length);
        return (array.Data.Select(v => (byte)v).ToArray(), (int)array.Shape[1], (int)array.Shape[0]);
    }

    public static InterleavedImage Image((byte[] Pixels, int Width, int Height) frame) =>
        new(frame.Pixels, frame.Width, frame.Height, ChannelOrder.Rgb);

    public void Dispose()
    {
        Detector.Dispose();
        Landmarks.Dispose();
        LandmarksTiny.Dispose();
        Expressions.Dispose();
    }
}
