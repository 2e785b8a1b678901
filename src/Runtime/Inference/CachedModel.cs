using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>
/// One model file as the TensorRT engine cache names it (<see cref="EngineCacheKey.For"/>): the
/// manifest whose <c>files</c> hash it, and its tensor specs.
/// </summary>
public readonly record struct CachedModel(PackManifest Manifest, ModelFileSpec Spec)
{
    /// <summary>Every model of a pack (<see cref="PackSessions.Models"/>).</summary>
    public static IEnumerable<CachedModel> Of(PackManifest manifest) =>
        PackSessions.Models(manifest).Select(m => new CachedModel(manifest, m.Spec));
}
