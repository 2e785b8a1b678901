namespace EdgeEmotion.Sensors.Synthetic;

internal static class RandomExtensions
{
    /// <summary>A standard normal draw (Box-Muller); deterministic for a seeded <see cref="Random"/>.</summary>
    public static double NextGaussian(this Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // (0, 1]: log stays finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double NextDouble(this Random random, double low, double high) => low + (random.NextDouble() * (high - low));
}
