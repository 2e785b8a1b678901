using EdgeEmotion.EdgeAgent.Evaluation;

namespace EdgeEmotion.EdgeAgent.Tests.Evaluation;

public sealed class MovingAverageTests
{
    [Fact]
    public void An_odd_window_is_symmetric_and_shrinks_at_the_edges()
    {
        // Window 3: (1+2)/2, (1+2+3)/3, ..., (4+5)/2.
        Assert.Equal(new double?[] { 1.5, 2, 3, 4, 4.5 }, MovingAverage.Centred([1, 2, 3, 4, 5], 3));
    }

    [Fact]
    public void An_even_window_reaches_one_frame_further_ahead()
    {
        // Window 4 takes i-1 .. i+2 (as 20 takes i-9 .. i+10): the spike at frame 4 reaches frames 2-5.
        Assert.Equal(new double?[] { 0, 0, 2.5, 2.5, 2.5, 2.5, 0, 0 }, MovingAverage.Centred([0, 0, 0, 0, 10, 0, 0, 0], 4));
    }

    [Fact]
    public void Frames_without_a_prediction_stay_without_one_and_are_left_out_of_windows()
    {
        // Frame 0 averages 1 alone (not (1+0)/2); frame 2 averages 3 and 5.
        Assert.Equal(new double?[] { 1, null, 4, 4 }, MovingAverage.Centred([1, null, 3, 5], 3));
    }

    [Fact]
    public void A_window_of_one_changes_nothing()
    {
        Assert.Equal(new double?[] { 0.25, -0.5 }, MovingAverage.Centred([0.25, -0.5], 1));
    }
}
