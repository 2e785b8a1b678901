namespace EdgeEmotion.Runtime.Packs;

/// <summary>What a pack's face recipes ask of the runtime.</summary>
public static class FaceRecipes
{
    /// <summary>True when a video stream finds faces with the trained detector: the agent's face models must be at hand.</summary>
    public static bool NeedFaceModels(PackManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Streams.Any(b => b.Spec.FaceClip?.Face?.Detector == FaceDetectors.TinyFaceDetector);
    }
}
