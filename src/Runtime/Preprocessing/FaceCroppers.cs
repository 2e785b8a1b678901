using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>Picks the face front end a video stream's recipe names.</summary>
public static class FaceCroppers
{
    /// <summary>
    /// No face recipe, or <c>detector: haar</c>: the Haar cascade and a box crop (<see cref="FaceCropper"/>),
    /// exactly as packs made before face recipes were scored. <c>tinyFaceDetector</c>: the trained
    /// front end (<see cref="LandmarkFaceCropper"/>) on the agent's face models.
    /// </summary>
    /// <exception cref="ArgumentException">The recipe needs the face models and none were given.</exception>
    /// <exception cref="ModelPackException">The face models do not open.</exception>
    public static IFaceCropper Create(string packId, VideoSpec spec, FaceCropOptions? haarOptions, FaceModelFolder? faceModels)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Face is not { Detector: FaceDetectors.TinyFaceDetector })
        {
            // A haar recipe may state the margin its box crops were trained with.
            var options = haarOptions ?? new FaceCropOptions();
            return new FaceCropper(spec, spec.Face?.Margin is { } margin ? options with { Margin = margin } : options);
        }

        if (faceModels is null)
        {
            throw new ArgumentException(
                $"pack {packId} finds faces with the {FaceDetectors.TinyFaceDetector}: the face models folder is needed (--face-models, faces.modelsDirectory)");
        }

        var models = faceModels.Open();
        try
        {
            return new LandmarkFaceCropper(spec, models);
        }
        catch
        {
            models.Dispose();
            throw;
        }
    }
}
