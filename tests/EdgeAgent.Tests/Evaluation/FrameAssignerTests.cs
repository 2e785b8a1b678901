using EdgeEmotion.EdgeAgent.Evaluation;

namespace EdgeEmotion.EdgeAgent.Tests.Evaluation;

public sealed class FrameAssignerTests
{
    // affect-tiny's shape: 30 fps, a clip every 32 frames covering the 32 frames before its end.
    private static readonly ClipSpan[] Affect = [new(0, 32 / 30.0, 32 / 30.0), new(1, 64 / 30.0, 32 / 30.0), new(2, 96 / 30.0, 32 / 30.0)];

    [Fact]
    public void Live_takes_the_newest_clip_ended_by_the_frame_s_end()
    {
        var frames = FrameAssigner.Assign(Affect, 100, 30, FrameAssignment.Live);

        Assert.All(frames[..31], f => Assert.Null(f)); // frames 0-30: no clip has ended yet
        Assert.Equal(0, frames[31]); // clip 0's last frame: the device scores it as that frame arrives
        Assert.Equal(0, frames[62]);
        Assert.Equal(1, frames[63]);
        Assert.Equal(2, frames[95]);
        Assert.Equal(2, frames[99]); // past the last clip: it stays on show
    }

    [Fact]
    public void Centred_takes_the_clip_whose_span_holds_the_frame()
    {
        var frames = FrameAssigner.Assign(Affect, 100, 30, FrameAssignment.Centred);

        Assert.All(frames[..32], f => Assert.Equal(0, f)); // clip 0 covers frames 0-31
        Assert.All(frames[32..64], f => Assert.Equal(1, f));
        Assert.All(frames[64..], f => Assert.Equal(2, f));
    }

    [Fact]
    public void A_pack_clock_other_than_the_video_s()
    {
        // pain-tiny: 25 fps, 16-frame clips ending at 0.64 s and 1.28 s; a 30 fps video.
        ClipSpan[] pain = [new(0, 0.64, 0.64), new(1, 1.28, 0.64)];

        var live = FrameAssigner.Assign(pain, 40, 30, FrameAssignment.Live);
        Assert.Null(live[18]); // ends at 0.633 s
        Assert.Equal(0, live[19]); // ends at 0.667 s

        // Centres 0.32 and 0.96: frame 18 (centre 0.617) is 0.297 from clip 0; frame 19 (0.65) is 0.31 from clip 1.
        var centred = FrameAssigner.Assign(pain, 40, 30, FrameAssignment.Centred);
        Assert.Equal(0, centred[18]);
        Assert.Equal(1, centred[19]);
    }

    [Fact]
    public void Centred_leaves_out_frames_before_the_first_clip_s_span_and_ties_go_to_the_earlier_clip()
    {
        // At 1 fps: clip 0 spans [1, 2) (centre 1.5), clip 1 spans [2, 3) (centre 2.5); frame 0 is before both.
        ClipSpan[] clips = [new(0, 2, 1), new(1, 3, 1)];

        var frames = FrameAssigner.Assign(clips, 4, 1, FrameAssignment.Centred);

        Assert.Equal(new int?[] { null, 0, 1, 1 }, frames);

        // Centres 1 and 2 with frame 1 centred at 1.5: a tie, to the earlier clip.
        Assert.Equal(0, FrameAssigner.Assign([new(0, 1.5, 1), new(1, 2.5, 1)], 2, 1, FrameAssignment.Centred)[1]);
    }

    [Fact]
    public void No_clips_means_no_frame_has_a_prediction()
    {
        Assert.All(FrameAssigner.Assign([], 5, 30, FrameAssignment.Live), f => Assert.Null(f));
    }
}
