using EdgeEmotion.Runtime.Faces;

namespace EdgeEmotion.Runtime.Tests.Faces;

/// <summary>One patient per bed: the tracker on synthetic detections.</summary>
public sealed class FaceTrackerTests
{
    private static readonly FaceDetection Patient = new(0.9, new FaceBox(100, 60, 100, 110));

    [Fact]
    public void A_smaller_face_passing_through_never_takes_over()
    {
        var tracker = new FaceTracker();
        Assert.Same(Patient, tracker.Update([Patient])!.Detection);

        // A visitor walks across the picture for 40 frames, detected with a higher score.
        for (var frame = 0; frame < 40; frame++)
        {
            var visitor = new FaceDetection(0.99, new FaceBox(5 + (frame * 6), 20, 50, 55));
            var followed = tracker.Update([visitor, Patient])!;
            Assert.Same(Patient, followed.Detection);
            Assert.True(followed.Detected);
        }
    }

    [Fact]
    public void A_larger_face_takes_over_only_after_it_has_stayed_for_the_takeover_frames()
    {
        var options = new FaceTrackerOptions { TakeoverFrames = 5 };
        var tracker = new FaceTracker(options);
        tracker.Update([Patient]);
        var close = new FaceBox(20, 10, 180, 200);

        // Briefly close to the camera (4 frames), then gone: the patient stays followed.
        for (var frame = 0; frame < 4; frame++)
        {
            Assert.Same(Patient, tracker.Update([new FaceDetection(0.8, close), Patient])!.Detection);
        }

        Assert.Same(Patient, tracker.Update([Patient])!.Detection);

        // Stays: frames 1-4 keep the patient, the fifth hands over.
        var stayed = new FaceDetection(0.8, close);
        for (var frame = 1; frame < options.TakeoverFrames; frame++)
        {
            Assert.Same(Patient, tracker.Update([stayed, Patient])!.Detection);
        }

        Assert.Same(stayed, tracker.Update([stayed, Patient])!.Detection);
        Assert.Same(stayed, tracker.Update([stayed, Patient])!.Detection);
    }

    [Fact]
    public void A_missed_detection_keeps_the_last_box_for_a_while_then_the_track_is_dropped()
    {
        var tracker = new FaceTracker(new FaceTrackerOptions { MaxMissedFrames = 3 });
        tracker.Update([Patient]);

        for (var missed = 1; missed <= 3; missed++)
        {
            var held = tracker.Update([])!;
            Assert.Same(Patient, held.Detection);
            Assert.False(held.Detected);
            Assert.Equal(missed, held.MissedFrames);
        }

        Assert.Null(tracker.Update([]));

        // Then whatever is largest is followed, at once.
        var next = new FaceDetection(0.7, new FaceBox(10, 10, 60, 60));
        Assert.Same(next, tracker.Update([new FaceDetection(0.95, new FaceBox(200, 10, 30, 30)), next])!.Detection);
    }

    [Fact]
    public void The_followed_face_moves_with_its_detections_and_a_far_box_is_no_match()
    {
        var tracker = new FaceTracker();
        tracker.Update([Patient]);
        var moved = new FaceDetection(0.9, Patient.Box with { X = 110, Y = 65 });
        Assert.Same(moved, tracker.Update([moved])!.Detection);

        // Same size, elsewhere (IoU 0): not the patient; the patient's box is held instead.
        var elsewhere = new FaceDetection(0.9, Patient.Box with { X = 0, Y = 0, Width = 60, Height = 60 });
        var held = tracker.Update([elsewhere])!;
        Assert.Same(moved, held.Detection);
        Assert.False(held.Detected);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_setting_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new FaceTracker(new FaceTrackerOptions { TakeoverFrames = 0 }));
        Assert.Contains("TakeoverFrames", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FaceTracker(new FaceTrackerOptions { MatchIou = 0 }));
    }
}
