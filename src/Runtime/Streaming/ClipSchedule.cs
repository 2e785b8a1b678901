namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// Where clips end and which frames each one keeps. Frames are counted in slots of the pack's
/// frame clock (slot n spans [n/fps, (n+1)/fps) after the run's origin); clip k ends on slot
/// (k+1)*hop - 1, so the first clip ends once <c>hop</c> frames exist.
/// </summary>
public sealed class ClipSchedule
{
    public ClipSchedule(double frameRate, int hop, int clipFrames, int dilation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hop);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clipFrames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        FrameRate = frameRate;
        Hop = hop;
        ClipFrames = clipFrames;
        Dilation = dilation;
    }

    public double FrameRate { get; }

    public int Hop { get; }

    public int ClipFrames { get; }

    public int Dilation { get; }

    /// <summary>Source frames one full clip covers (clipFrames x dilation).</summary>
    public int SpanFrames => ClipFrames * Dilation;

    public long EndSlot(long clip) => ((clip + 1) * Hop) - 1;

    /// <summary>The time the clip's last frame ends: the clip can be scored once every source has passed it.</summary>
    public TimeSpan EndTime(long clip) => SlotStart(EndSlot(clip) + 1);

    /// <summary>Rounded to the nearest tick (TimeSpan.FromSeconds would truncate, putting 64/30 s in slot 63).</summary>
    public TimeSpan SlotStart(long slot) => TimeSpan.FromTicks((long)Math.Round(slot * TimeSpan.TicksPerSecond / FrameRate));

    /// <summary>The slot whose interval holds <paramref name="time"/>.</summary>
    public long SlotAt(TimeSpan time) => (long)Math.Floor((time.TotalSeconds * FrameRate) + 1e-4);

    /// <summary>
    /// The slots clip <paramref name="clip"/> feeds to the backbone, oldest first (docs/model-card.md's
    /// sampling rule): with a full span, every <c>dilation</c>-th frame ending on the clip's last;
    /// with fewer frames since the stream began, the largest step that still fits
    /// (every 3rd, 2nd, then the last <c>clipFrames</c>); with fewer than <c>clipFrames</c>, all of
    /// them and then the last one repeated (a held frame).
    /// </summary>
    public void Pick(long clip, Span<long> slots)
    {
        if (slots.Length != ClipFrames)
        {
            throw new ArgumentException($"needs room for {ClipFrames} slots", nameof(slots));
        }

        var end = EndSlot(clip);
        var available = (int)Math.Min(SpanFrames, end + 1);
        var step = Math.Min(Dilation, available / ClipFrames);
        if (step >= 1)
        {
            for (var i = 0; i < ClipFrames; i++)
            {
                slots[i] = end - ((long)(ClipFrames - 1 - i) * step);
            }

            return;
        }

        for (var i = 0; i < ClipFrames; i++)
        {
            slots[i] = Math.Min(end - available + 1 + i, end);
        }
    }

    /// <summary>Whether any clip will use this slot: the other frames are only timestamped and dropped.</summary>
    public bool IsUsed(long slot)
    {
        Span<long> picks = stackalloc long[ClipFrames];
        var firstClip = Math.Max(0, ((slot + 1) / Hop) - 1);
        for (var clip = firstClip; EndSlot(clip) < slot + SpanFrames; clip++)
        {
            if (EndSlot(clip) < slot)
            {
                continue;
            }

            Pick(clip, picks);
            if (picks.Contains(slot))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The oldest slot clip <paramref name="clip"/> can use; older slots can be forgotten.</summary>
    public long OldestSlot(long clip) => Math.Max(0, EndSlot(clip) - SpanFrames + 1);
}
