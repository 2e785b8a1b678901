using System.Diagnostics;
using EdgeEmotion.Runtime.Faces;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>The face one frame gave a front end under test: its box and landmarks (null when none), and the stage times.</summary>
internal readonly record struct FaceStageFrame(FaceBox? Box, FaceLandmarks68? Landmarks, bool Detected, FaceTimings Timings);

/// <summary>
/// The TinyFaceDetector front end with tracking between detections: the detector runs on every
/// <c>detectEvery</c>-th frame it is given (the frames a clip uses), and the frames between reuse
/// the tracked box; landmarks and alignment run on every frame. The same steps as
/// <see cref="FaceFrontEnd.Process"/> otherwise, so the two differ only in the detections skipped.
/// Measures what skipping buys (ms) and what it costs (the held box against a fresh detection).
/// </summary>
internal sealed class HeldBoxFaceStage
{
    private readonly FaceModels models;
    private readonly FaceFrontEndOptions options;
    private readonly FaceTracker tracker;
    private readonly DetectorInput detectorInput = new(FaceModels.DetectorSize);
    private readonly TinyFaceDetectorDecoder decoder = new(FaceModels.DetectorSize);
    private readonly byte[] crop;
    private FaceBox? held;
    private long frames;

    public HeldBoxFaceStage(FaceModels models, int detectEvery, FaceFrontEndOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentOutOfRangeException.ThrowIfLessThan(detectEvery, 1);
        this.models = models;
        this.options = options ?? new FaceFrontEndOptions();
        this.options.Validate();
        DetectEvery = detectEvery;
        tracker = new FaceTracker(this.options.Tracker);
        crop = new byte[this.options.Template.OutputWidth * this.options.Template.OutputHeight * 3];
    }

    /// <summary>The detector runs on one frame in this many.</summary>
    public int DetectEvery { get; }

    /// <summary>Runs one frame; frames must come in order.</summary>
    public FaceStageFrame Process(InterleavedImage image, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var detect = frames++ % DetectEvery == 0 || held is null;
        var detectMs = 0.0;
        if (detect)
        {
            detectorInput.Write(image, models.Detector.Input(0));
            models.Detector.Run(cancellationToken);
            var detections = decoder.Decode(models.Detector.Output(0), image.Width, image.Height, options.MinScore);
            held = tracker.Update(detections)?.Detection.Box;
            detectMs = clock.Elapsed.TotalMilliseconds;
        }

        if (held is not { } box || box.ClipToImage(image.Width, image.Height).IsEmpty)
        {
            return new FaceStageFrame(null, null, detect, new FaceTimings(detectMs, 0, 0));
        }

        clock.Restart();
        var region = FaceCropInput.Write(image, box, models.Landmarks.Input(0));
        models.Landmarks.Run(cancellationToken);
        var landmarks = FaceLandmarks68.Decode(models.Landmarks.Output(0), region, new FacePoint(box.X, box.Y));
        var landmarkMs = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        _ = HeadPose.Estimate(landmarks); // FaceFrontEnd's align stage includes the pose: time the same work
        FaceAligner.Warp(image, landmarks.FivePoints(), options.Template, crop);
        var alignMs = clock.Elapsed.TotalMilliseconds;
        return new FaceStageFrame(box, landmarks, detect, new FaceTimings(detectMs, landmarkMs, alignMs));
    }
}
