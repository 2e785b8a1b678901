using System.Security.Cryptography;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>Loads a pack folder: manifest, consistency, presence and sha256 of every file.</summary>
public static class ModelPackLoader
{
    public static ModelPack Load(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new ModelPackException(PackErrorKind.ManifestUnreadable, full, File.Exists(full)
                ? $"is a file, not a pack folder: give the folder that holds {ManifestReader.FileName}"
                : "the pack folder does not exist");
        }

        var manifestPath = Path.Combine(full, ManifestReader.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelPackException(PackErrorKind.ManifestUnreadable, ManifestReader.FileName,
                $"no {ManifestReader.FileName} in {full}; is this a model pack folder?");
        }

        var manifest = ManifestReader.ReadFile(manifestPath);
        ManifestConsistency.Check(manifest);

        foreach (var (relative, expected) in manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(full, relative);
            if (!File.Exists(path))
            {
                throw new ModelPackException(PackErrorKind.MissingFile, relative, $"listed in the manifest but not found in {full}");
            }

            var actual = Sha256Hex(path);
            if (!string.Equals(actual, expected, StringComparison.Ordinal))
            {
                throw new ModelPackException(PackErrorKind.HashMismatch, relative,
                    $"sha256 is {actual} but the manifest says {expected}; the file is corrupt, truncated or was replaced");
            }
        }

        // A model no manifest vouches for is a sign of a hand-edited pack.
        foreach (var onnx in System.IO.Directory.EnumerateFiles(full, "*.onnx", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(full, onnx).Replace('\\', '/');
            if (!manifest.Files.ContainsKey(relative))
            {
                throw new ModelPackException(PackErrorKind.UnlistedFile, relative, "an ONNX file in the pack has no sha256 entry in the manifest");
            }
        }

        return new ModelPack(full, manifest);
    }

    /// <summary>Lower-case hex sha256 of a file, streamed.</summary>
    public static string Sha256Hex(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
