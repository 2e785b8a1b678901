using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>docs/model-card.md's clip sampling: 8 frames from a 32-frame span, and what happens with fewer.</summary>
public sealed class ClipScheduleTests
{
    // Hop 1 makes clip k end on slot k, so "frames available" is simply k + 1.
    private static readonly ClipSchedule EveryFrame = new(30, hop: 1, clipFrames: 8, dilation: 4);

    private static long[] Picks(ClipSchedule schedule, long clip)
    {
        var slots = new long[schedule.ClipFrames];
        schedule.Pick(clip, slots);
        return slots;
    }

    [Fact]
    public void Full_span_keeps_every_fourth_frame_ending_on_the_last()
    {
        Assert.Equal([3L, 7, 11, 15, 19, 23, 27, 31], Picks(EveryFrame, 31));
        Assert.Equal([68L, 72, 76, 80, 84, 88, 92, 96], Picks(EveryFrame, 96));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(31)]
    public void With_24_to_31_frames_every_third(int available)
    {
        var end = available - 1;
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)(end - ((7 - i) * 3))), Picks(EveryFrame, end));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(23)]
    public void With_16_to_23_frames_every_second(int available)
    {
        var end = available - 1;
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)(end - ((7 - i) * 2))), Picks(EveryFrame, end));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(15)]
    public void With_8_to_15_frames_the_last_eight(int available)
    {
        var end = available - 1;
        Assert.Equal(Enumerable.Range(end - 7, 8).Select(i => (long)i), Picks(EveryFrame, end));
    }

    [Fact]
    public void With_1_to_7_frames_the_last_is_repeated()
    {
        Assert.Equal([0L, 1, 2, 2, 2, 2, 2, 2], Picks(EveryFrame, 2));
        Assert.Equal([0L, 0, 0, 0, 0, 0, 0, 0], Picks(EveryFrame, 0));
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 6], Picks(EveryFrame, 6));
    }

    [Fact]
    public void Clips_end_every_hop_frames_and_their_end_time_is_the_end_of_the_last_frame()
    {
        var schedule = new ClipSchedule(30, hop: 32, clipFrames: 8, dilation: 4);

        Assert.Equal(31, schedule.EndSlot(0));
        Assert.Equal(63, schedule.EndSlot(1));
        Assert.Equal(TimeSpan.FromTicks(10_666_667), schedule.EndTime(0)); // 32/30 s to the nearest tick
        Assert.Equal(64, schedule.SlotAt(schedule.EndTime(1)));
    }

    [Fact]
    public void With_hop_32_and_dilation_4_only_one_frame_in_four_is_used()
    {
        var schedule = new ClipSchedule(30, hop: 32, clipFrames: 8, dilation: 4);

        var used = Enumerable.Range(0, 320).Count(slot => schedule.IsUsed(slot));

        Assert.Equal(80, used);
        Assert.True(schedule.IsUsed(31));
        Assert.False(schedule.IsUsed(30));
    }

    [Fact]
    public void A_smaller_hop_uses_the_frames_every_overlapping_clip_picks()
    {
        var schedule = new ClipSchedule(30, hop: 8, clipFrames: 8, dilation: 4);
        var picked = new HashSet<long>();
        var slots = new long[8];
        for (var clip = 0; clip < 40; clip++)
        {
            schedule.Pick(clip, slots);
            picked.UnionWith(slots);
        }

        // Every slot some clip picks is marked used, and no other (below the last clip's end).
        var last = schedule.EndSlot(39);
        for (long slot = 0; slot <= last - schedule.SpanFrames; slot++)
        {
            Assert.Equal(picked.Contains(slot), schedule.IsUsed(slot));
        }
    }
}
