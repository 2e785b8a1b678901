namespace EdgeEmotion.Runtime.Faces;

/// <summary>What the aligned crop is worth: the detector's score, the face's size and how far it is turned.</summary>
/// <param name="FaceSize">The smaller side of the face's box, in frame pixels.</param>
/// <param name="AbsYaw">|yaw| in degrees.</param>
public readonly record struct CropQuality(double DetectorScore, double FaceSize, double AbsYaw);

/// <summary>Milliseconds per stage: detect (input, run, decode), landmarks (crop, run, decode), align (pose, similarity, warp).</summary>
public readonly record struct FaceTimings(double DetectMs, double LandmarkMs, double AlignMs);

/// <summary>The followed face of one frame, from its box to its aligned crop.</summary>
/// <param name="AlignedCrop">Packed RGB bytes, <see cref="AlignmentTemplate.OutputWidth"/> x <see cref="AlignmentTemplate.OutputHeight"/>.</param>
public sealed record FaceObservation(
    TrackedFace Track,
    FaceLandmarks68 Landmarks,
    HeadPose Pose,
    FaceFivePoints FivePoints,
    SimilarityTransform Alignment,
    byte[] AlignedCrop,
    CropQuality Quality);

/// <summary>One frame through the front end.</summary>
/// <param name="Detections">Every face the detector found, best first.</param>
/// <param name="Face">The followed face; null when there is none.</param>
/// <param name="Reason">Null when the face is usable, else one of <see cref="FaceReasons"/>.</param>
public sealed record FaceFrame(IReadOnlyList<FaceDetection> Detections, FaceObservation? Face, string? Reason, FaceTimings Timings)
{
    public bool Usable => Reason is null;
}
