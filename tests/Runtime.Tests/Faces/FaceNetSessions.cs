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
        var pack = new ModelPack(folder ?? Folder, new PackManifest
        {
            SchemaVersion = 1,
            Id = "face-api",
            Version = "1.7.15",
            Task = "faces",
            Modalities = [],
            Outputs = [],
            Golden = new GoldenSpec { Tolerance = 1e-4, Cases = [] },
            Files = new Dictionary<string, string>(),
        });
        var factory = CpuSessions.Factory();
        Detector = Open(factory, pack, "tiny_face_detector.onnx", "image", [1, 3, DetectorSize, DetectorSize], "grid", [1, DetectorSize / 32, DetectorSize / 32, 25]);
        Landmarks = Open(factory, pack, "face_landmark_68.onnx", "face", [1, 3, 112, 112], "landmarks", [1, 136]);
        LandmarksTiny = Open(factory, pack, "face_landmark_68_tiny.onnx", "face", [1, 3, 112, 112], "landmarks", [1, 136]);
        Expressions = Open(factory, pack, "face_expression.onnx", "face", [1, 3, 112, 112], "probabilities", [1, 7]);
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

    private static ModelSession Open(ModelSessionFactory factory, ModelPack pack, string file, string input, long[] inputShape, string output, long[] outputShape) =>
        factory.Open(pack, Path.GetFileNameWithoutExtension(file), new ModelFileSpec
        {
            File = file,
            Inputs = [new TensorSpec { Name = input, ElementType = "float32", Shape = inputShape }],
            Outputs = [new TensorSpec { Name = output, ElementType = "float32", Shape = outputShape }],
        });
}
