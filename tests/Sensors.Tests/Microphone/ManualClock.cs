namespace EdgeEmotion.Sensors.Tests.Microphone;

/// <summary>A run clock the test sets by hand (timers still run on real time).</summary>
internal sealed class ManualClock : TimeProvider
{
    private long ticks;

    public TimeSpan Now
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref ticks));
        set => Interlocked.Exchange(ref ticks, value.Ticks);
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref ticks);
}
