using System.Security.Cryptography;
using System.Text.Json;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// face-api.js's detector and 68-point landmark net (models/face) opened from their folder on the
/// backbones' provider chain (<see cref="ModelSessionFactory"/>: TensorRT FP16, CUDA, CPU). The
/// folder is not a pack: it is opened as a stand-in pack whose file hashes are computed here, so
/// TensorRT engines are keyed by the files' sha256 like a pack's. On the FP32 providers the
/// models are checked against the folder's PyTorch goldens (golden/cases.json) before use.
/// </summary>
public sealed class FaceModels : IDisposable
{
    public const string DetectorFile = "tiny_face_detector.onnx";
    public const string LandmarkFile = "face_landmark_68.onnx";
    public const string TinyLandmarkFile = "face_landmark_68_tiny.onnx";
    public const string GoldenCasesFile = "golden/cases.json";

    /// <summary>The detector's input side: fixed in the exported file.</summary>
    public const int DetectorSize = 320;

    private FaceModels(string folder, ModelSession detector, ModelSession landmarks, IReadOnlyDictionary<string, string> hashes, int goldenCases, double goldenError)
    {
        Folder = folder;
        Detector = detector;
        Landmarks = landmarks;
        Sha256 = hashes;
        GoldenCasesChecked = goldenCases;
        MaxGoldenError = goldenError;
    }

    public string Folder { get; }

    /// <summary>TinyFaceDetector: <c>image</c> [1, 3, 320, 320] to <c>grid</c> [1, 10, 10, 25].</summary>
    public ModelSession Detector { get; }

    /// <summary>The 68-point landmark net (full or tiny): <c>face</c> [1, 3, 112, 112] to <c>landmarks</c> [1, 136].</summary>
    public ModelSession Landmarks { get; }

    /// <summary>The sha256 of each file opened.</summary>
    public IReadOnlyDictionary<string, string> Sha256 { get; }

    /// <summary>Golden cases run on open (0 when not checked: asked not to, or FP16).</summary>
    public int GoldenCasesChecked { get; }

    /// <summary>The largest difference from a golden output seen on open.</summary>
    public double MaxGoldenError { get; }

    /// <summary>Opens the models in <paramref name="folder"/>.</summary>
    /// <param name="tinyLandmarks">Use the tiny landmark net (4x smaller, less exact).</param>
    /// <param name="verifyGoldens">Run the folder's golden cases for the opened models; an FP16 session skips them.</param>
    /// <exception cref="ModelPackException">A file is missing, does not load, has the wrong signature or misses its goldens.</exception>
    /// <exception cref="ExecutionProviderException">No configured provider could run a model.</exception>
    public static FaceModels Open(string folder, ModelSessionFactory factory, bool tinyLandmarks = false, bool verifyGoldens = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(factory);
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new ModelPackException(PackErrorKind.MissingFile, folder, "the face model folder does not exist");
        }

        var landmarkFile = tinyLandmarks ? TinyLandmarkFile : LandmarkFile;
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in new[] { DetectorFile, landmarkFile })
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                throw new ModelPackException(PackErrorKind.MissingFile, path, "the face model file is missing (make face-models writes it)");
            }

            using var stream = File.OpenRead(path);
            hashes[file] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        var pack = new ModelPack(folder, new PackManifest
        {
            SchemaVersion = 1,
            Id = "face-api",
            Version = "1.7.15",
            Task = "faces",
            Modalities = [],
            Outputs = [],
            Golden = new GoldenSpec { Tolerance = 2e-4, Cases = [] },
            Files = hashes,
        });

        ModelSession? detector = null;
        ModelSession? landmarks = null;
        try
        {
            detector = factory.Open(pack, "face.detector", Spec(DetectorFile, "image", [1, 3, DetectorSize, DetectorSize], "grid", [1, DetectorSize / 32, DetectorSize / 32, 25]));
            landmarks = factory.Open(pack, "face.landmarks", Spec(landmarkFile, "face", [1, 3, FaceCropInput.Size, FaceCropInput.Size], "landmarks", [1, 2 * FaceLandmarks68.Count]));
            var (cases, error) = verifyGoldens ? CheckGoldens(folder, detector, landmarks) : (0, 0.0);
            return new FaceModels(folder, detector, landmarks, hashes, cases, error);
        }
        catch
        {
            detector?.Dispose();
            landmarks?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Detector.Dispose();
        Landmarks.Dispose();
    }

    private static ModelFileSpec Spec(string file, string input, long[] inputShape, string output, long[] outputShape) => new()
    {
        File = file,
        Inputs = [new TensorSpec { Name = input, ElementType = "float32", Shape = inputShape }],
        Outputs = [new TensorSpec { Name = output, ElementType = "float32", Shape = outputShape }],
    };

    private static (int Cases, double MaxError) CheckGoldens(string folder, params ModelSession[] sessions)
    {
        var casesPath = Path.Combine(folder, GoldenCasesFile);
        if (!File.Exists(casesPath))
        {
            throw new ModelPackException(PackErrorKind.MissingFile, casesPath, "the golden cases are missing (pass no golden check to open the models without them)");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(casesPath));
            var tolerance = document.RootElement.GetProperty("tolerance").GetDouble();
            int count = 0;
            double worst = 0;
            foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
            {
                var session = sessions.FirstOrDefault(s => s.Spec.File == c.GetProperty("model").GetString());
                if (session is null || session.ReducedPrecision)
                {
                    continue;
                }

                var input = NpyArray.Read(Path.Combine(folder, c.GetProperty("inputs").EnumerateObject().Single().Value.GetString()!));
                var outputFile = c.GetProperty("outputs").EnumerateObject().Single().Value.GetString()!;
                var expected = NpyArray.Read(Path.Combine(folder, outputFile));
                if (input.Data.Length != session.Input(0).Length || expected.Data.Length != session.Output(0).Length)
                {
                    throw new ModelPackException(PackErrorKind.ModelSignatureMismatch, outputFile, $"the golden case does not fit {session.Spec.File}'s tensors");
                }

                input.Data.CopyTo(session.Input(0));
                session.Run();
                var error = MaxAbsError(session.Output(0), expected.Data);
                if (error > tolerance)
                {
                    throw new ModelPackException(PackErrorKind.InvalidModel, session.Spec.File, $"output differs from its golden {outputFile} by {error:G3} (tolerance {tolerance:G3})");
                }

                worst = Math.Max(worst, error);
                count++;
            }

            return (count, worst);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException or IOException)
        {
            throw new ModelPackException(PackErrorKind.InvalidValue, casesPath, $"the golden cases cannot be read: {e.Message}", e);
        }
    }

    private static double MaxAbsError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        var max = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        }

        return max;
    }
}
