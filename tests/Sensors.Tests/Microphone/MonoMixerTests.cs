using EdgeEmotion.Sensors.Microphone;

namespace EdgeEmotion.Sensors.Tests.Microphone;

public sealed class MonoMixerTests
{
    [Fact]
    public void Float_frames_are_averaged_and_clamped_to_full_scale()
    {
        var mono = new float[2];

        MonoMixer.Mix([0.5f, 0.25f, 3f, 1f], channels: 2, mono);

        Assert.Equal([0.375f, 1f], mono);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_float_frame_holding_nan_or_infinity_stays_invalid_not_full_scale(int channels)
    {
        // One value per frame, repeated on every channel.
        float[] values = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f];
        var input = values.SelectMany(x => Enumerable.Repeat(x, channels)).ToArray();
        var mono = new float[values.Length];

        MonoMixer.Mix(input, channels, mono);

        Assert.All(mono[..3], x => Assert.True(float.IsNaN(x), $"{x}"));
        Assert.Equal(0.5f, mono[3]);
    }
}
