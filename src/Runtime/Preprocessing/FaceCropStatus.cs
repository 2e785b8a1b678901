namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>What <see cref="FaceCropper.Crop(OpenCvSharp.Mat, Span{float})"/> did with a frame.</summary>
public enum FaceCropStatus
{
    /// <summary>A face was found in this frame; the crop follows it.</summary>
    Detected,

    /// <summary>
    /// No face in this frame; the last box was reused (as BioVid keeps the previous face), at
    /// most <see cref="FaceCropOptions.MaxHeldFrames"/> frames in a row.
    /// </summary>
    HeldBox,

    /// <summary>No face and no box to reuse: nothing was written.</summary>
    NoFace,
}
