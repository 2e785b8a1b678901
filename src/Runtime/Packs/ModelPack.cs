namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// A pack whose manifest is coherent and whose every file matches its sha256. Produced by
/// <see cref="ModelPackLoader.Load"/>; the ONNX files are checked against the manifest when
/// sessions are opened (<see cref="Inference.PackSessions"/>).
/// </summary>
public sealed class ModelPack
{
    internal ModelPack(string directory, PackManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    /// <summary>Absolute path of the pack folder.</summary>
    public string Directory { get; }

    public PackManifest Manifest { get; }

    public string Id => Manifest.Id;

    /// <summary>Absolute path of a file listed in the manifest.</summary>
    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    /// <summary>The manifest's sha256 for a file of the pack.</summary>
    public string Sha256Of(string relativePath) => Manifest.Files[relativePath];
}
