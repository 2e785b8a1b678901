using EdgeEmotion.Runtime.Inference;

namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// Where the face models the agent ships (models/face) are, and the provider chain to open them
/// on: the pack's <see cref="ModelSessionFactory"/>. Packs do not carry them; a pipeline whose
/// pack's face recipe names the trained detector opens them once.
/// </summary>
public sealed record FaceModelFolder(string Directory, ModelSessionFactory Factory)
{
    /// <exception cref="Packs.ModelPackException">A file is missing, does not load, or misses its golden.</exception>
    public FaceModels Open() => FaceModels.Open(Directory, Factory);
}
