using System.Diagnostics;

namespace EdgeEmotion.Runtime.Faces;

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
