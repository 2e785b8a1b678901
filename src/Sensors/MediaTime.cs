namespace EdgeEmotion.Sensors;

/// <summary>Exact timestamps for sample-counted streams: sample i of a stream at r Hz is at i / r.</summary>
internal static class MediaTime
{
    /// <summary>The time of sample <paramref name="index"/>, rounded to the nearest tick (never accumulated).</summary>
    public static TimeSpan OfSample(long index, double rate) =>
        TimeSpan.FromTicks((long)Math.Round(index * (double)TimeSpan.TicksPerSecond / rate));

    /// <summary>The first sample index whose time is at or after <paramref name="time"/>.</summary>
    public static long FirstSampleAtOrAfter(TimeSpan time, double rate)
    {
        if (time <= TimeSpan.Zero)
        {
            return 0;
        }

        var index = (long)Math.Ceiling(time.TotalSeconds * rate);
        while (index > 0 && OfSample(index - 1, rate) >= time)
        {
            index--;
        }

        while (OfSample(index, rate) < time)
        {
            index++;
        }

        return index;
    }
}
