namespace EdgeEmotion.Runtime.Faces;

/// <summary>How <see cref="FaceTracker"/> keeps one patient's face. Frames, not seconds: it counts detector runs.</summary>
public sealed class FaceTrackerOptions
{
    /// <summary>A detection continues the tracked face when its box overlaps the last one by at least this IoU.</summary>
    public double MatchIou { get; set; } = 0.3;

    /// <summary>Frames the tracked face may go undetected before it is dropped; meanwhile its last box stands in.</summary>
    public int MaxMissedFrames { get; set; } = 10;

    /// <summary>A face this much larger (area ratio) than the tracked one may take over ...</summary>
    public double TakeoverAreaRatio { get; set; } = 1.2;

    /// <summary>... once it has been seen in this many frames in a row.</summary>
    public int TakeoverFrames { get; set; } = 5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (MatchIou is <= 0 or > 1 || double.IsNaN(MatchIou))
        {
            throw new ArgumentException($"Faces.Tracker.MatchIou must be in (0, 1], not {MatchIou}");
        }

        if (MaxMissedFrames < 0)
        {
            throw new ArgumentException($"Faces.Tracker.MaxMissedFrames must be >= 0, not {MaxMissedFrames}");
        }

        if (TakeoverAreaRatio < 1 || !double.IsFinite(TakeoverAreaRatio))
        {
            throw new ArgumentException($"Faces.Tracker.TakeoverAreaRatio must be >= 1, not {TakeoverAreaRatio}");
        }

        if (TakeoverFrames < 1)
        {
            throw new ArgumentException($"Faces.Tracker.TakeoverFrames must be >= 1, not {TakeoverFrames}");
        }
    }
}

/// <summary>The face a frame is about: its box and the score of the detection it came from.</summary>
/// <param name="Detected">False when the detector missed it this frame and the last box stands in.</param>
/// <param name="MissedFrames">Frames in a row it has gone undetected (0 when detected).</param>
public sealed record TrackedFace(FaceDetection Detection, bool Detected, int MissedFrames);

/// <summary>
/// One patient per bed: follows the largest steady face across frames. It starts on the largest
/// detection; a detection overlapping the tracked box (IoU) continues it; a miss keeps the last
/// box for a few frames. A smaller face passing through never takes over, and a larger one only
/// after it has stayed for <see cref="FaceTrackerOptions.TakeoverFrames"/> frames in a row.
/// </summary>
public sealed class FaceTracker
{
    private readonly FaceTrackerOptions options;
    private FaceDetection? tracked;
    private int missed;
    private FaceDetection? challenger;
    private int challengerFrames;

    public FaceTracker(FaceTrackerOptions? options = null)
    {
        this.options = options ?? new FaceTrackerOptions();
        this.options.Validate();
    }

    /// <summary>Takes one frame's detections; returns the face to follow, or null when there is none.</summary>
    public TrackedFace? Update(IReadOnlyList<FaceDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        if (tracked is null)
        {
            tracked = Largest(detections);
            missed = 0;
            ClearChallenger();
            return tracked is null ? null : new TrackedFace(tracked, true, 0);
        }

        var match = BestOverlap(detections, tracked.Box, options.MatchIou);
        var larger = Largest(detections.Where(d => !ReferenceEquals(d, match) && d.Box.Area >= tracked.Box.Area * options.TakeoverAreaRatio));
        if (larger is not null && challenger is not null && larger.Box.Iou(challenger.Box) >= options.MatchIou)
        {
            challengerFrames++;
        }
        else
        {
            challengerFrames = larger is null ? 0 : 1;
        }

        challenger = larger;
        if (challenger is not null && challengerFrames >= options.TakeoverFrames)
        {
            tracked = challenger;
            missed = 0;
            ClearChallenger();
            return new TrackedFace(tracked, true, 0);
        }

        if (match is not null)
        {
            tracked = match;
            missed = 0;
            return new TrackedFace(tracked, true, 0);
        }

        missed++;
        if (missed > options.MaxMissedFrames)
        {
            // The patient is gone: start again on whatever is there now.
            tracked = null;
            return Update(detections);
        }

        return new TrackedFace(tracked, false, missed);
    }

    /// <summary>Forgets the tracked face (a new recording, a camera that restarted).</summary>
    public void Reset()
    {
        tracked = null;
        missed = 0;
        ClearChallenger();
    }

    private void ClearChallenger()
    {
        challenger = null;
        challengerFrames = 0;
    }

    private static FaceDetection? Largest(IEnumerable<FaceDetection> detections) => detections.MaxBy(d => d.Box.Area);

    private static FaceDetection? BestOverlap(IReadOnlyList<FaceDetection> detections, FaceBox box, double minimum)
    {
        FaceDetection? best = null;
        var bestIou = minimum;
        foreach (var d in detections)
        {
            var iou = d.Box.Iou(box);
            if (iou >= bestIou)
            {
                best = d;
                bestIou = iou;
            }
        }

        return best;
    }
}
