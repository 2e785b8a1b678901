namespace EdgeEmotion.Sensors.Microphone;

/// <summary>
/// Timestamps blocks by the capture clock: anchor + frames since the anchor / rate. The anchor
/// is the run clock's time at the first read after (re)opening or an overrun, less the length
/// of that read, so lost audio shows up as a gap in the timestamps instead of being hidden.
/// </summary>
internal sealed class CaptureClock(TimeProvider clock, long epoch, int sampleRate)
{
    private TimeSpan anchor;
    private long framesSinceAnchor;
    private bool anchored;
    private TimeSpan end;

    /// <summary>Frames were lost (overrun, reopen): the next block re-anchors to the run clock.</summary>
    public void Break() => anchored = false;

    /// <summary>The timestamp of the first of <paramref name="frames"/> frames just read, advancing the clock past them.</summary>
    public TimeSpan Next(int frames)
    {
        if (!anchored)
        {
            var readDuration = TimeSpan.FromTicks(frames * TimeSpan.TicksPerSecond / sampleRate);
            anchor = clock.GetElapsedTime(epoch) - readDuration;
            // Never before the end of the last block: samples stay in timestamp order.
            if (anchor < end)
            {
                anchor = end;
            }

            framesSinceAnchor = 0;
            anchored = true;
        }

        var timestamp = anchor + TimeSpan.FromTicks(framesSinceAnchor * TimeSpan.TicksPerSecond / sampleRate);
        framesSinceAnchor += frames;
        end = anchor + TimeSpan.FromTicks(framesSinceAnchor * TimeSpan.TicksPerSecond / sampleRate);
        return timestamp;
    }
}
