using OpenCvSharp;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// The visual front end of one video modality: per frame, the face crop the pack's recipe names
/// (docs/model-pack.md "Face recipe"), normalised as in training, or the reason there is none.
/// Stateful (it follows one face across frames) and not thread-safe: frames come in order.
/// </summary>
public interface IFaceCropper : IDisposable
{
    /// <summary>The normalisation every crop uses (also for substituted black frames).</summary>
    FrameNormalizer Normalizer { get; }

    /// <summary>Time spent finding the face (detector, and landmarks where the recipe uses them) since this cropper was made.</summary>
    TimeSpan DetectionTime { get; }

    /// <summary>
    /// Writes the face of <paramref name="bgr"/> (8-bit BGR) into <paramref name="destination"/> as
    /// CHW planar floats (3 x height x width).
    /// </summary>
    /// <returns>Null when a crop was written; else why not (a <see cref="Streaming.MissingReasons"/> value), and nothing was written.</returns>
    string? CropFace(Mat bgr, Span<float> destination);
}
