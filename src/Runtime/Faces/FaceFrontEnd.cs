using System.Diagnostics;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.Runtime.Faces;

/// <summary>Why a frame's face cannot be used; named like <see cref="MissingReasons"/>.</summary>
public static class FaceReasons
{
    public const string NoFace = MissingReasons.NoFace;
    public const string TooSmall = "face too small";
    public const string TurnedAway = "face turned away";
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

/// <summary>
/// The visual front end: per frame the detector, the one face to follow (<see cref="FaceTracker"/>),
/// its 68 landmarks, a head pose from them (<see cref="HeadPose.Estimate"/>), the five points, a
/// similarity alignment to the template and the warp to the aligned crop, and a decision: usable,
/// or no face, too small, turned away. One frame at a time; owns the tracker's state, not the models.
/// </summary>
public sealed class FaceFrontEnd
{
    private readonly FaceModels models;
    private readonly FaceFrontEndOptions options;
    private readonly FaceTracker tracker;
    private readonly DetectorInput detectorInput = new(FaceModels.DetectorSize);
    private readonly TinyFaceDetectorDecoder decoder = new(FaceModels.DetectorSize);

    public FaceFrontEnd(FaceModels models, FaceFrontEndOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        this.options = options ?? new FaceFrontEndOptions();
        this.options.Validate();
        this.models = models;
        tracker = new FaceTracker(this.options.Tracker);
    }

    public FaceFrontEndOptions Options => options;

    /// <summary>Runs one frame. Frames must come in order: the tracker follows the face across them.</summary>
    public FaceFrame Process(InterleavedImage image, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        detectorInput.Write(image, models.Detector.Input(0));
        models.Detector.Run(cancellationToken);
        var detections = decoder.Decode(models.Detector.Output(0), image.Width, image.Height, options.MinScore);
        var detectMs = clock.Elapsed.TotalMilliseconds;

        var track = tracker.Update(detections);
        if (track is null || track.Detection.Box.ClipToImage(image.Width, image.Height).IsEmpty)
        {
            return new FaceFrame(detections, null, FaceReasons.NoFace, new FaceTimings(detectMs, 0, 0));
        }

        clock.Restart();
        var box = track.Detection.Box;
        var region = FaceCropInput.Write(image, box, models.Landmarks.Input(0));
        models.Landmarks.Run(cancellationToken);
        var landmarks = FaceLandmarks68.Decode(models.Landmarks.Output(0), region, new FacePoint(box.X, box.Y));
        var landmarkMs = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        var pose = HeadPose.Estimate(landmarks);
        var five = landmarks.FivePoints();
        var template = options.Template;
        var crop = new byte[template.OutputWidth * template.OutputHeight * 3];
        var alignment = FaceAligner.Warp(image, five, template, crop);
        var alignMs = clock.Elapsed.TotalMilliseconds;

        var quality = new CropQuality(track.Detection.Score, Math.Min(box.Width, box.Height), Math.Abs(pose.Yaw));
        var reason = quality.FaceSize < options.MinFaceSize ? FaceReasons.TooSmall
            : quality.AbsYaw > options.MaxYaw ? FaceReasons.TurnedAway
            : null;
        var face = new FaceObservation(track, landmarks, pose, five, alignment, crop, quality);
        return new FaceFrame(detections, face, reason, new FaceTimings(detectMs, landmarkMs, alignMs));
    }

    /// <summary>Forgets the followed face (a new recording, a camera that restarted).</summary>
    public void Reset() => tracker.Reset();
}
