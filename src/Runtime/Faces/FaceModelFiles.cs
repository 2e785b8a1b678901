using System.Security.Cryptography;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// The face model folder described as a stand-in pack: its files' sha256 and the tensor specs of
/// the detector and one landmark net. <see cref="ModelSessionFactory"/> keys TensorRT engines by
/// those, so whoever describes the folder this way (the front end, the warm-up, the cache
/// cleaner) names the same engine folders.
/// </summary>
public sealed record FaceModelFiles(ModelPack Pack, ModelFileSpec Detector, ModelFileSpec Landmarks)
{
    /// <summary>Hashes the detector and the chosen landmark net in <paramref name="folder"/>.</summary>
    /// <exception cref="ModelPackException">The folder or a file is missing or unreadable.</exception>
    public static FaceModelFiles Read(string folder, bool tinyLandmarks = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new ModelPackException(PackErrorKind.MissingFile, folder, "the face model folder does not exist");
        }

        var landmarkFile = tinyLandmarks ? FaceModels.TinyLandmarkFile : FaceModels.LandmarkFile;
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in new[] { FaceModels.DetectorFile, landmarkFile })
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                throw new ModelPackException(PackErrorKind.MissingFile, path, "the face model file is missing (the agent ships it in models/face; make face-models writes it)");
            }

            try
            {
                using var stream = File.OpenRead(path);
                hashes[file] = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModelPackException(PackErrorKind.MissingFile, path, $"the face model file cannot be read: {e.Message}", e);
            }
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
        return new FaceModelFiles(
            pack,
            Spec(FaceModels.DetectorFile, "image", [1, 3, FaceModels.DetectorSize, FaceModels.DetectorSize], "grid", [1, FaceModels.DetectorSize / 32, FaceModels.DetectorSize / 32, 25]),
            Spec(landmarkFile, "face", [1, 3, FaceCropInput.Size, FaceCropInput.Size], "landmarks", [1, 2 * FaceLandmarks68.Count]));
    }

    /// <summary>
    /// The engine-cache entries of every face model in the folder (the detector and both landmark
    /// nets, whichever are present), for the cache cleaner to keep. Empty when the folder cannot
    /// be read: then nothing is kept for it, and the next open rebuilds what it needs.
    /// </summary>
    public static IReadOnlyList<CachedModel> CacheEntries(string folder)
    {
        var entries = new List<CachedModel>();
        foreach (var tiny in new[] { false, true })
        {
            try
            {
                var files = Read(folder, tiny);
                entries.Add(new CachedModel(files.Pack.Manifest, files.Detector));
                entries.Add(new CachedModel(files.Pack.Manifest, files.Landmarks));
            }
            catch (ModelPackException)
            {
                // That landmark net (or the whole folder) is absent: no engine of it to keep.
            }
        }

        return entries.DistinctBy(e => (e.Spec.File, e.Manifest.Files[e.Spec.File])).ToList();
    }

    private static ModelFileSpec Spec(string file, string input, long[] inputShape, string output, long[] outputShape) => new()
    {
        File = file,
        Inputs = [new TensorSpec { Name = input, ElementType = "float32", Shape = inputShape }],
        Outputs = [new TensorSpec { Name = output, ElementType = "float32", Shape = outputShape }],
    };
}
