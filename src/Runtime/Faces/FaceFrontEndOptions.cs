using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.Runtime.Faces;

/// <summary>Why a frame's face cannot be used; named like <see cref="MissingReasons"/>.</summary>
public static class FaceReasons
{
    public const string NoFace = MissingReasons.NoFace;
    public const string TooSmall = MissingReasons.FaceTooSmall;
    public const string TurnedAway = MissingReasons.FaceTurnedAway;
}

/// <summary>The settings of <see cref="FaceFrontEnd"/>, validated when it is built.</summary>
public sealed class FaceFrontEndOptions
{
    /// <summary>Detections scoring at or under this are ignored (face-api's default 0.5).</summary>
    public double MinScore { get; set; } = TinyFaceDetectorDecoder.DefaultScoreThreshold;

    /// <summary>A face whose box's smaller side is under this many pixels is <see cref="FaceReasons.TooSmall"/>.</summary>
    public double MinFaceSize { get; set; } = 40;

    /// <summary>A face whose |yaw| exceeds this many degrees is <see cref="FaceReasons.TurnedAway"/>.</summary>
    public double MaxYaw { get; set; } = 45;

    /// <summary>Where the five points go in the aligned crop.</summary>
    public AlignmentTemplate Template { get; set; } = AlignmentTemplate.ArcFace112;

    public FaceTrackerOptions Tracker { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (MinScore is < 0 or >= 1 || double.IsNaN(MinScore))
        {
            throw new ArgumentException($"Faces.MinScore must be in [0, 1), not {MinScore}");
        }

        if (MinFaceSize < 0 || !double.IsFinite(MinFaceSize))
        {
            throw new ArgumentException($"Faces.MinFaceSize must be >= 0 pixels, not {MinFaceSize}");
        }

        if (MaxYaw is <= 0 or > 180 || double.IsNaN(MaxYaw))
        {
            throw new ArgumentException($"Faces.MaxYaw must be in (0, 180] degrees, not {MaxYaw}");
        }

        ArgumentNullException.ThrowIfNull(Template, "Faces.Template");
        ArgumentNullException.ThrowIfNull(Tracker, "Faces.Tracker");
        Tracker.Validate();
    }
}
