namespace EdgeEmotion.Runtime.Faces;

/// <summary>One face the detector found: its confidence (0-1) and its box in image pixels.</summary>
public sealed record FaceDetection(double Score, FaceBox Box);
