using System.Text.Json;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// face-api.js's detector and 68-point landmark net (models/face) opened from their folder on the
/// backbones' provider chain (<see cref="ModelSessionFactory"/>: TensorRT FP16, CUDA, CPU). The
/// folder is not a pack: it is opened as a stand-in pack (<see cref="FaceModelFiles"/>), so TensorRT
/// engines are keyed by the files' sha256 like a pack's, and the warm-up, the OTA staging step and
/// the cache cleaner name the same engines the service opens. The models are checked against the
/// folder's PyTorch goldens (golden/cases.json) before use, FP16 engines against its fp16Tolerance.
/// </summary>
public sealed class FaceModels : IDisposable
{
    public const string DetectorFile = "tiny_face_detector.onnx";
    public const string LandmarkFile = "face_landmark_68.onnx";
    public const string TinyLandmarkFile = "face_landmark_68_tiny.onnx";
    public const string GoldenCasesFile = "golden/cases.json";

    /// <summary>The detector's input side: fixed in the exported file.</summary>
    public const int DetectorSize = 320;

    private FaceModels(string folder, ModelSession detector, ModelSession landmarks, IReadOnlyDictionary<string, string> hashes, IReadOnlyList<GoldenResult> goldens)
    {
        Folder = folder;
        Detector = detector;
        Landmarks = landmarks;
        Sha256 = hashes;
        Goldens = goldens;
    }

    public string Folder { get; }

    /// <summary>TinyFaceDetector: <c>image</c> [1, 3, 320, 320] to <c>grid</c> [1, 10, 10, 25].</summary>
    public ModelSession Detector { get; }

    /// <summary>The 68-point landmark net (full or tiny): <c>face</c> [1, 3, 112, 112] to <c>landmarks</c> [1, 136].</summary>
    public ModelSession Landmarks { get; }

    /// <summary>Both sessions, in the order they open.</summary>
    public IEnumerable<ModelSession> All => [Detector, Landmarks];

    /// <summary>The sha256 of each file opened.</summary>
    public IReadOnlyDictionary<string, string> Sha256 { get; }

    /// <summary>Per model, its golden cases run on open (empty when not checked, or FP16 with no fp16Tolerance in the folder).</summary>
    public IReadOnlyList<GoldenResult> Goldens { get; }

    /// <summary>Golden cases run on open.</summary>
    public int GoldenCasesChecked => Goldens.Sum(g => g.Cases);

    /// <summary>The largest difference from a golden output seen on open.</summary>
    public double MaxGoldenError => Goldens.Select(g => g.MaxAbsError).DefaultIfEmpty(0).Max();

    /// <summary>The model name of the detector in logs, warm-up and verify reports.</summary>
    public const string DetectorName = "face.detector";

    /// <summary>The model name of the landmark net (full or tiny).</summary>
    public const string LandmarksName = "face.landmarks";

    /// <summary>Opens the models in <paramref name="folder"/>.</summary>
    /// <param name="tinyLandmarks">Use the tiny landmark net (4x smaller, less exact).</param>
    /// <param name="verifyGoldens">Run the folder's golden cases for the opened models (FP16 sessions against its fp16Tolerance).</param>
    /// <exception cref="ModelPackException">A file is missing, does not load, has the wrong signature or misses its goldens.</exception>
    /// <exception cref="ExecutionProviderException">No configured provider could run a model.</exception>
    public static FaceModels Open(string folder, ModelSessionFactory factory, bool tinyLandmarks = false, bool verifyGoldens = true)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Open(folder, factory.Open, tinyLandmarks, verifyGoldens);
    }

    /// <summary>Opens the models with <paramref name="open"/> (the warm-up's, which reports progress per model).</summary>
    internal static FaceModels Open(string folder, Func<ModelPack, string, ModelFileSpec, ModelSession> open, bool tinyLandmarks, bool verifyGoldens)
    {
        var files = FaceModelFiles.Read(folder, tinyLandmarks);
        ModelSession? detector = null;
        ModelSession? landmarks = null;
        try
        {
            detector = open(files.Pack, DetectorName, files.Detector);
            landmarks = open(files.Pack, LandmarksName, files.Landmarks);
            var goldens = verifyGoldens ? CheckGoldens(files.Pack.Directory, detector, landmarks) : [];
            return new FaceModels(files.Pack.Directory, detector, landmarks, files.Pack.Manifest.Files, goldens);
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

    private static List<GoldenResult> CheckGoldens(string folder, params ModelSession[] sessions)
    {
        var casesPath = Path.Combine(folder, GoldenCasesFile);
        if (!File.Exists(casesPath))
        {
            throw new ModelPackException(PackErrorKind.MissingFile, casesPath, "the golden cases are missing (pass no golden check to open the models without them)");
        }

        var results = new List<GoldenResult>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(casesPath));
            var root = document.RootElement;
            var tolerance = root.GetProperty("tolerance").GetDouble();
            var fp16Tolerances = root.TryGetProperty("fp16Tolerance", out var fp16) ? fp16 : default;
            foreach (var session in sessions)
            {
                // Per file, sized at export from an FP16 emulation. Without one an FP16 engine is not
                // compared: FP32's bound would fail it for rounding alone.
                var bound = !session.ReducedPrecision ? tolerance
                    : fp16Tolerances.ValueKind == JsonValueKind.Object && fp16Tolerances.TryGetProperty(session.Spec.File, out var t) ? t.GetDouble()
                    : (double?)null;
                if (bound is not { } limit)
                {
                    continue;
                }

                var worst = 0.0;
                var count = 0;
                foreach (var c in root.GetProperty("cases").EnumerateArray().Where(c => c.GetProperty("model").GetString() == session.Spec.File))
                {
                    var input = NpyArray.Read(Path.Combine(folder, c.GetProperty("inputs").EnumerateObject().Single().Value.GetString()!));
                    var outputFile = c.GetProperty("outputs").EnumerateObject().Single().Value.GetString()!;
                    var expected = NpyArray.Read(Path.Combine(folder, outputFile));
                    if (input.Data.Length != session.Input(0).Length || expected.Data.Length != session.Output(0).Length)
                    {
                        throw new ModelPackException(PackErrorKind.ModelSignatureMismatch, outputFile, $"the golden case does not fit {session.Spec.File}'s tensors");
                    }

                    input.Data.CopyTo(session.Input(0));
                    session.Run();
                    // NaN anywhere counts as infinitely wrong (GoldenSelfTest's rule), so a model that
                    // outputs NaN, or a golden that holds it, can never pass.
                    var error = GoldenSelfTest.MaxAbsError(session.Output(0), expected.Data);
                    if (error > limit)
                    {
                        throw new ModelPackException(PackErrorKind.InvalidModel, session.Spec.File,
                            $"output differs from its golden {outputFile} by {error:G3} ({session.Precision} tolerance {limit:G3})");
                    }

                    worst = Math.Max(worst, error);
                    count++;
                }

                if (count == 0)
                {
                    throw new ModelPackException(PackErrorKind.InvalidValue, casesPath, $"no golden case for {session.Spec.File}: nothing compares it with PyTorch");
                }

                results.Add(new GoldenResult(session.Name, session.Spec.File, session.Provider.ConfigName(), session.Precision, worst, limit,
                    WorstOutput: session.Spec.Outputs[0].Name) { Cases = count });
            }

            return results;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException or IOException)
        {
            throw new ModelPackException(PackErrorKind.InvalidValue, casesPath, $"the golden cases cannot be read: {e.Message}", e);
        }
    }
}
