using System.Diagnostics.CodeAnalysis;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// Turns camera frames into clip tensors. Frames are put on the pack's frame clock (each slot
/// takes the newest frame at its time, so a 25 fps camera feeds a 30 fps pack); only slots some
/// stream's clip will use get a face detection and crop, the rest are only timestamped and dropped.
/// Every stream of the modality takes the same face crops (one detection per slot); each picks its
/// own frames of the clip (clipFrames, dilation). A clip is judged on the first stream's frames.
/// </summary>
internal sealed class VideoTrack : IModalityTrack
{
    private readonly ClipSchedule schedule;
    private readonly ClipSchedule[] streamSchedules;
    private readonly VideoSpec spec;
    private readonly IFaceCropper cropper;
    private readonly FrozenFrameDetector frozen;
    private readonly StreamingOptions options;
    private readonly TimeSpan stallTimeout;
    private readonly int frameSize;
    private readonly Dictionary<long, SlotFrame> slots = [];
    private readonly Queue<StaleRun> staleRuns = new();
    private readonly Stack<float[]> freeBuffers = new();
    private readonly Dictionary<string, int> reasons = new(StringComparer.Ordinal);
    private readonly long[][] picks;
    private VideoFrame? latest;
    private long latestSerial = -1;
    private bool latestFrozen;
    private long nextSlot;
    private long forgottenBefore;
    private long judgedClip;
    private string? endedReason = MissingReasons.NoSource;
    private (long Serial, long Slot)? lastCrop;

    /// <param name="schedule">The pack's clips, with the first stream's frame picks.</param>
    /// <param name="cropper">Crops for the first stream's parameters (owned); the others must crop alike.</param>
    public VideoTrack(string name, IReadOnlyList<StreamSpec> streams, ClipSchedule schedule, StreamingOptions options, IFaceCropper cropper)
    {
        Name = name;
        spec = streams[0].FaceClip!;
        foreach (var other in streams.Skip(1))
        {
            var v = other.FaceClip ?? throw new ArgumentException($"stream '{other.Name}': recipe '{other.Recipe}' does not read video ({StreamRecipes.FaceClip})");
            if (v.Width != spec.Width || v.Height != spec.Height || v.PixelOrder != spec.PixelOrder || v.Scale != spec.Scale
                || !v.Mean.SequenceEqual(spec.Mean) || !v.Std.SequenceEqual(spec.Std) || !SameFace(v.Face, spec.Face))
            {
                throw new ArgumentException(
                    $"stream '{other.Name}' crops faces unlike stream '{streams[0].Name}' (width, height, pixelOrder, scale, mean, std, face): the streams of one video modality share one face crop in this runtime");
            }
        }

        this.schedule = schedule;
        streamSchedules = [schedule, .. streams.Skip(1).Select(s => new ClipSchedule(schedule.FrameRate, schedule.Hop, s.FaceClip!.ClipFrames, s.FaceClip.Dilation))];
        this.options = options;
        this.cropper = cropper;
        stallTimeout = options.For(name).StallTimeout;
        frozen = new FrozenFrameDetector();
        frameSize = 3 * spec.Height * spec.Width;
        picks = [.. streamSchedules.Select(s => new long[s.ClipFrames])];
    }

    public string Name { get; }

    /// <summary>Frames received, slots filled, and slots that got a face detection.</summary>
    public long FramesReceived { get; private set; }

    public long SlotsFinalized { get; private set; }

    public long FaceDetections { get; private set; }

    /// <summary>Time the face detector has taken so far.</summary>
    public TimeSpan DetectionTime => cropper.DetectionTime;

    /// <summary>Slots finalized and kept for clips still to come (a run of stale slots counts once).</summary>
    public int SlotsHeld => slots.Count + staleRuns.Count;

    /// <summary>Crop buffers waiting for reuse.</summary>
    public int PooledCrops => freeBuffers.Count;

    public void Push(VideoFrame frame)
    {
        endedReason = null;
        FinalizeSlotsBefore(frame.Timestamp);
        latest?.Dispose();
        latest = frame;
        latestSerial++;
        FramesReceived++;
        frozen.Observe(frame.Image);
        latestFrozen = frozen.ConsecutiveRepeats >= options.FrozenFrames - 1;
    }

    public void MarkEnded(string reason)
    {
        endedReason = reason;
    }

    public string? Judge(long clip, TimeSpan clipEnd)
    {
        FinalizeSlotsBefore(clipEnd);
        judgedClip = clip;
        var judged = picks[0];
        schedule.Pick(clip, judged);

        var usable = 0;
        reasons.Clear();
        foreach (var slot in judged)
        {
            var frame = slots.GetValueOrDefault(slot);
            if (frame.Pixels is not null)
            {
                usable++;
            }
            else
            {
                var reason = frame.Reason ?? StaleReason(slot);
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
        }

        return usable < options.MinFaceFraction * judged.Length || usable == 0 ? MostFrequentReason() : null;
    }

    // Frames of the clip without a face enter black, as a missing frame did in training. With one
    // frame per clip, [1, 3, 1, H, W] and [1, 3, H, W] are the same memory.
    public void WriteInput(int stream, Span<float> input)
    {
        var streamPicks = picks[stream];
        streamSchedules[stream].Pick(judgedClip, streamPicks);
        var plane = spec.Height * spec.Width;
        var frames = streamPicks.Length;
        for (var t = 0; t < frames; t++)
        {
            var pixels = slots.GetValueOrDefault(streamPicks[t]).Pixels;
            var source = pixels ?? BlackFrame();
            for (var c = 0; c < 3; c++)
            {
                source.AsSpan(c * plane, plane).CopyTo(input.Slice(((c * frames) + t) * plane, plane));
            }
        }
    }

    // Only after every stream's copy: the next clip needs none of the older slots.
    public void Finish(long clip)
    {
        var oldest = long.MaxValue;
        foreach (var s in streamSchedules)
        {
            oldest = Math.Min(oldest, s.OldestSlot(clip + 1));
        }

        ForgetBefore(oldest);
    }

    // A loop, not a lambda: runs per frame slot and allocates nothing.
    private bool IsUsed(long slot)
    {
        foreach (var s in streamSchedules)
        {
            if (s.IsUsed(slot))
            {
                return true;
            }
        }

        return false;
    }

    public void WriteSubstitute(int stream, Span<float> input)
    {
        var plane = spec.Height * spec.Width;
        var frames = streamSchedules[stream].ClipFrames;
        var black = BlackFrame();
        for (var t = 0; t < frames; t++)
        {
            for (var c = 0; c < 3; c++)
            {
                black.AsSpan(c * plane, plane).CopyTo(input.Slice(((c * frames) + t) * plane, plane));
            }
        }
    }

    public void Dispose()
    {
        latest?.Dispose();
        latest = null;
        cropper.Dispose();
        frozen.Dispose();
    }

    private float[]? black;

    private float[] BlackFrame()
    {
        if (black is null)
        {
            black = new float[frameSize];
            cropper.Normalizer.WriteBlack(black, spec.Height * spec.Width);
        }

        return black;
    }

    // Every slot whose acceptance window (up to half a frame past its start) closed before
    // `time` gets the newest frame seen by then, or a reason why it has none.
    private void FinalizeSlotsBefore(TimeSpan time)
    {
        var halfFrame = TimeSpan.FromSeconds(0.5 / schedule.FrameRate);
        while (schedule.SlotStart(nextSlot) + halfFrame < time)
        {
            if (IsStale(nextSlot))
            {
                // So are all slots up to `time` (the newest frame only ages): one run, not a slot
                // each, so a gap or a time jump costs the same memory however long it is.
                var end = Math.Max(nextSlot, schedule.SlotAt(time - halfFrame) - 1);
                while (schedule.SlotStart(end) + halfFrame < time)
                {
                    end++;
                }

                staleRuns.Enqueue(new StaleRun(nextSlot, end, endedReason ?? MissingReasons.Stalled));
                SlotsFinalized += end - nextSlot;
                nextSlot = end;
                break;
            }

            var slot = nextSlot++;
            SlotsFinalized++;
            if (!IsUsed(slot))
            {
                continue;
            }

            slots[slot] = Fill(slot, latest);
        }
    }

    // No frame, or the newest is older than the stall timeout at this slot.
    [MemberNotNullWhen(false, nameof(latest))]
    private bool IsStale(long slot) => latest is null || schedule.SlotStart(slot) - latest.Timestamp > stallTimeout;

    // Why a finalized slot that is not in `slots` has no frame: it lies in a stale run.
    private string StaleReason(long slot)
    {
        foreach (var run in staleRuns)
        {
            if (slot >= run.From && slot < run.To)
            {
                return run.Reason;
            }
        }

        return MissingReasons.Stalled;
    }

    private SlotFrame Fill(long slot, VideoFrame latest)
    {
        if (latestFrozen)
        {
            return new SlotFrame(null, MissingReasons.Frozen);
        }

        // A slower camera puts one frame in several slots: crop it once.
        if (lastCrop is { } previous && previous.Serial == latestSerial && slots.TryGetValue(previous.Slot, out var cropped))
        {
            if (cropped.Pixels is null)
            {
                return cropped;
            }

            var copy = Rent();
            cropped.Pixels.CopyTo(copy, 0);
            return new SlotFrame(copy, null);
        }

        var pixels = Rent();
        FaceDetections++;
        var reason = cropper.CropFace(latest.Image, pixels);
        SlotFrame result;
        if (reason is not null)
        {
            freeBuffers.Push(pixels);
            result = new SlotFrame(null, reason);
        }
        else
        {
            result = new SlotFrame(pixels, null);
        }

        lastCrop = (latestSerial, slot);
        return result;
    }

    // Slots are filled in increasing order, so everything below `oldest` lies in one range.
    private void ForgetBefore(long oldest)
    {
        while (staleRuns.TryPeek(out var run) && run.To <= oldest)
        {
            staleRuns.Dequeue();
        }

        for (; forgottenBefore < oldest; forgottenBefore++)
        {
            if (slots.Remove(forgottenBefore, out var frame) && frame.Pixels is { } pixels)
            {
                freeBuffers.Push(pixels);
            }
        }
    }

    // The commonest reason among the clip's missing frames; ties go to the first in ordinal order.
    private string MostFrequentReason()
    {
        string? best = null;
        var bestCount = 0;
        foreach (var (reason, count) in reasons)
        {
            if (count > bestCount || (count == bestCount && string.CompareOrdinal(reason, best) < 0))
            {
                best = reason;
                bestCount = count;
            }
        }

        return best!;
    }

    // Face recipes are records holding lists: compare the lists' values, not their references.
    private static bool SameFace(FaceRecipeSpec? a, FaceRecipeSpec? b) =>
        a is null || b is null ? a is null && b is null
        : a.Detector == b.Detector && a.Crop == b.Crop && a.TemplateSize == b.TemplateSize && a.Margin == b.Margin
          && (a.Template is null ? b.Template is null : b.Template is not null && a.Template.SelectMany(p => p).SequenceEqual(b.Template.SelectMany(p => p)));

    private float[] Rent() => freeBuffers.Count > 0 ? freeBuffers.Pop() : new float[frameSize];

    /// <summary>A filled slot: normalised CHW pixels of the face crop, or why there are none.</summary>
    private readonly record struct SlotFrame(float[]? Pixels, string? Reason);

    /// <summary>Slots [From, To) finalized without a frame, for one reason (no frame, or only a stale one).</summary>
    private readonly record struct StaleRun(long From, long To, string Reason);
}
