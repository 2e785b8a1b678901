using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using OpenCvSharp;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>
/// A clip is judged on its frames' face decisions, whichever front end made them: too few usable
/// frames (minFaceFraction) make the modality missing with the commonest reason, and every crop
/// reason the trained front end has is a <see cref="MissingReasons"/> value.
/// </summary>
public sealed class VideoTrackFaceReasonTests
{
    private static readonly VideoSpec Spec = new()
    {
        FrameRate = 30, ClipFrames = 4, Dilation = 1, SpanFrames = 4, Width = 8, Height = 8, PixelOrder = "RGB",
        Scale = 1.0 / 255, Mean = [0.5, 0.5, 0.5], Std = [0.25, 0.25, 0.25],
    };

    [Theory]
    [InlineData(MissingReasons.FaceTurnedAway)]
    [InlineData(MissingReasons.FaceTooSmall)]
    [InlineData(MissingReasons.NoFace)]
    public void A_clip_whose_frames_are_refused_is_missing_with_the_front_end_s_reason(string reason)
    {
        // Frames 0-2 refused, frame 3 usable: 1 of 4 is under the default 0.5.
        using var track = Track(new ScriptedCropper([reason, reason, reason, null]));

        Assert.Equal(reason, Judge(track));
    }

    [Fact]
    public void Enough_usable_frames_make_a_clip_whatever_the_others_reasons()
    {
        using var track = Track(new ScriptedCropper([MissingReasons.FaceTurnedAway, null, null, MissingReasons.FaceTooSmall]));

        Assert.Null(Judge(track));
    }

    [Fact]
    public void The_commonest_reason_names_the_clip()
    {
        using var track = Track(new ScriptedCropper([MissingReasons.FaceTooSmall, MissingReasons.FaceTurnedAway, MissingReasons.FaceTurnedAway, null]));

        Assert.Equal(MissingReasons.FaceTurnedAway, Judge(track));
    }

    [Fact]
    public void Every_face_reason_is_a_missing_reason()
    {
        Assert.Equal(MissingReasons.NoFace, EdgeEmotion.Runtime.Faces.FaceReasons.NoFace);
        Assert.Equal(MissingReasons.FaceTooSmall, EdgeEmotion.Runtime.Faces.FaceReasons.TooSmall);
        Assert.Equal(MissingReasons.FaceTurnedAway, EdgeEmotion.Runtime.Faces.FaceReasons.TurnedAway);
    }

    private static VideoTrack Track(IFaceCropper cropper)
    {
        var stream = new StreamSpec
        {
            Name = "visual",
            Recipe = StreamRecipes.FaceClip,
            Backbone = new ModelFileSpec { File = "v.onnx", Inputs = [], Outputs = [] },
            FaceClip = Spec,
        };
        return new VideoTrack("visual", [stream], new ClipSchedule(30, 4, 4, 1), new StreamingOptions(), cropper);
    }

    private static string? Judge(VideoTrack track)
    {
        var schedule = new ClipSchedule(30, 4, 4, 1);
        for (var i = 0; i < 5; i++)
        {
            track.Push(new VideoFrame(schedule.SlotStart(i), new Mat(8, 8, MatType.CV_8UC3, new Scalar(i * 40, 90, 200 - (i * 30)))));
        }

        return track.Judge(0, schedule.EndTime(0));
    }

    /// <summary>A front end at the hardware edge's side of the seam: the reason per frame, in order.</summary>
    private sealed class ScriptedCropper(string?[] reasons) : IFaceCropper
    {
        private int next;

        public FrameNormalizer Normalizer { get; } = new(Spec);

        public TimeSpan DetectionTime => TimeSpan.Zero;

        public string? CropFace(Mat bgr, Span<float> destination)
        {
            var reason = reasons[next++];
            if (reason is null)
            {
                Normalizer.WritePlanar(bgr, destination, Normalizer.PlaneLength);
            }

            return reason;
        }

        public void Dispose()
        {
        }
    }
}
