namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>How <see cref="FaceCropper"/> finds, follows and frames the face.</summary>
public sealed record FaceCropOptions
{
    /// <summary>Debian's opencv-data puts OpenCV's frontal-face Haar cascade here.</summary>
    public const string DefaultCascadePath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    /// <summary>A Haar or LBP cascade XML file.</summary>
    public string CascadePath { get; init; } = DefaultCascadePath;

    /// <summary>
    /// Frames wider than this are downscaled to this width for detection only (the crop is
    /// taken from the full frame). Detection cost grows with pixels; faces at a bedside are big.
    /// </summary>
    public int DetectionWidth { get; init; } = 320;

    /// <summary>Smallest face searched for, as a fraction of the frame height.</summary>
    public double MinFaceFraction { get; init; } = 0.15;

    /// <summary>Context added on each side of the face box, as a fraction of the box side.</summary>
    public double Margin { get; init; } = 0.25;

    /// <summary>
    /// Weight of the newest detection in the box's exponential moving average: 1 follows every
    /// detection as is, smaller values steady the crop against detector jitter.
    /// </summary>
    public double Smoothing { get; init; } = 0.5;

    /// <summary>Consecutive frames without a detection for which the last box is reused.</summary>
    public int MaxHeldFrames { get; init; } = 15;

    /// <summary>The cascade's image-pyramid step (OpenCV's scaleFactor).</summary>
    public double DetectorScaleFactor { get; init; } = 1.1;

    /// <summary>
    /// Overlapping hits a detection needs (OpenCV's minNeighbors; its default is 3). Higher means
    /// fewer false faces: 5 removes the one false hit in tests/media/noface.mp4 and keeps every
    /// frame of face.mp4.
    /// </summary>
    public int DetectorMinNeighbors { get; init; } = 5;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(CascadePath);
        Check(DetectionWidth >= 32, DetectionWidth, nameof(DetectionWidth), "at least 32 pixels");
        Check(MinFaceFraction > 0 && MinFaceFraction <= 1, MinFaceFraction, nameof(MinFaceFraction), "in (0, 1]");
        Check(Margin >= 0 && Margin <= 2, Margin, nameof(Margin), "in [0, 2]");
        Check(Smoothing > 0 && Smoothing <= 1, Smoothing, nameof(Smoothing), "in (0, 1]");
        Check(MaxHeldFrames >= 0, MaxHeldFrames, nameof(MaxHeldFrames), "zero or more");
        Check(DetectorScaleFactor > 1 && DetectorScaleFactor <= 2, DetectorScaleFactor, nameof(DetectorScaleFactor), "in (1, 2]");
        Check(DetectorMinNeighbors >= 0, DetectorMinNeighbors, nameof(DetectorMinNeighbors), "zero or more");
    }

    private static void Check(bool ok, object value, string name, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"FaceCropOptions.{name} must be {range}.");
        }
    }
}
