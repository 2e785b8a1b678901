using System.Numerics;
using EdgeEmotion.Runtime.Preprocessing;

namespace EdgeEmotion.Runtime.Tests.Preprocessing;

public sealed class RealFftTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(64)]
    [InlineData(1024)]
    public void Equals_the_textbook_DFT(int length)
    {
        var random = new Random(length);
        var input = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var fft = new RealFft(length);
        var spectrum = new Complex[fft.Bins];

        fft.Forward(input, spectrum);

        for (var k = 0; k < fft.Bins; k++)
        {
            var expected = Complex.Zero;
            for (var n = 0; n < length; n++)
            {
                expected += input[n] * Complex.FromPolarCoordinates(1, -2 * Math.PI * k * n / length);
            }

            Assert.True(Complex.Abs(expected - spectrum[k]) < 1e-9 * length, $"bin {k}: {spectrum[k]} vs {expected}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void Rejects_a_length_that_is_not_a_power_of_two(int length) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(length));
}
