using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// Runs a pipeline on live sources. Each source fills its own bounded buffer on its own task
/// (drop-oldest, counted); the scoring loop drains the buffers in timestamp order every tick and
/// scores up to <c>now - sourceLatency</c>, so a slow backbone sheds old samples instead of
/// falling ever further behind. Source timestamps are on the run's clock: time since start.
/// </summary>
public sealed partial class LiveDriver(StreamingPipeline pipeline, LiveDriverOptions options, ILogger<LiveDriver> logger, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider clock = timeProvider ?? TimeProvider.System;
    private readonly List<string> failures = [];
    private long lastProgress;
    private StreamingPipeline current = pipeline;
    private TimeSpan origin;
    private long clipOffset;
    private long nextClip;
    private TimeSpan maxPushed;
    private (StreamingPipeline Next, Action<StreamingPipeline> Swapped)? pendingSwap;
    private Incoming? incoming;

    /// <summary>
    /// Hands the loop a new pipeline (built off the loop, e.g. for a new pack). At the next tick the
    /// loop picks the first clip boundary of the old pipeline at or after the newest sample it has
    /// handed over; samples before it go to the old pipeline, samples from it to the new one. Once the
    /// old pipeline has scored its last clip (up to that boundary), the new one takes over: its clip
    /// numbers and clip end times are shifted so the run's numbering and clock continue, and
    /// <paramref name="swapped"/> receives the old pipeline (the caller disposes it) just before the
    /// new one's first output. Sources and buffers keep running; nothing is restarted or lost.
    /// </summary>
    public void ReplacePipeline(StreamingPipeline next, Action<StreamingPipeline> swapped)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(swapped);
        lock (failures)
        {
            pendingSwap = (next, swapped);
        }
    }

    // Start of a tick: a requested pipeline begins to receive samples from the next clip boundary.
    private void BeginSwap()
    {
        if (incoming is not null)
        {
            return;
        }

        (StreamingPipeline Next, Action<StreamingPipeline> Swapped)? swap;
        lock (failures)
        {
            swap = pendingSwap;
            pendingSwap = null;
        }

        if (swap is not { } s)
        {
            return;
        }

        var last = Math.Max(nextClip - clipOffset, 0);
        while (current.Schedule.EndTime(last) + origin < maxPushed)
        {
            last++;
        }

        incoming = new Incoming(s.Next, s.Swapped, origin + current.Schedule.EndTime(last), clipOffset + last + 1);
    }

    // After the old pipeline has scored up to the boundary, the new one takes over.
    private void FinishSwap(TimeSpan now)
    {
        if (incoming is not { } next || now < next.Origin)
        {
            return;
        }

        var old = current;
        current = next.Pipeline;
        origin = next.Origin;
        clipOffset = next.ClipOffset;
        incoming = null;
        foreach (var buffer in buffers.Where(b => b.Reported))
        {
            current.MarkEnded(buffer.Kind, buffer.Failed ? MissingReasons.SourceError : MissingReasons.SourceEnded);
        }

        LogSwapped(origin.TotalSeconds, clipOffset);
        next.Swapped(old);
    }

    // Which pipeline a sample at this time goes to, and the origin its timestamp is shifted by; null: too old.
    private (StreamingPipeline Pipeline, TimeSpan Origin)? Route(TimeSpan timestamp)
    {
        if (timestamp > maxPushed)
        {
            maxPushed = timestamp;
        }

        if (incoming is { } next && timestamp >= next.Origin)
        {
            return (next.Pipeline, next.Origin);
        }

        return timestamp >= origin ? (current, origin) : null;
    }

    private void PushVideo(VideoFrame frame)
    {
        if (Route(frame.Timestamp) is not { } to)
        {
            frame.Dispose();
            return;
        }

        to.Pipeline.Push(to.Origin == TimeSpan.Zero ? frame : new VideoFrame(frame.Timestamp - to.Origin, frame.Image));
    }

    private void PushAudio(AudioBlock block)
    {
        if (Route(block.Timestamp) is { } to)
        {
            to.Pipeline.Push(to.Origin == TimeSpan.Zero ? block : block with { Timestamp = block.Timestamp - to.Origin });
        }
        else
        {
            block.Dispose();
        }
    }

    private void PushEda(EdaSample sample)
    {
        if (Route(sample.Timestamp) is { } to)
        {
            to.Pipeline.Push(sample with { Timestamp = sample.Timestamp - to.Origin });
        }
    }

    private sealed record Incoming(StreamingPipeline Pipeline, Action<StreamingPipeline> Swapped, TimeSpan Origin, long ClipOffset);

    /// <summary>Samples each modality's buffer dropped because scoring fell behind.</summary>
    public IReadOnlyDictionary<string, long> Dropped => buffers.ToDictionary(b => b.Kind, b => b.Dropped, StringComparer.Ordinal);

    /// <summary>Sources that failed (their modality is missing from then on).</summary>
    public IReadOnlyList<string> Failures { get { lock (failures) { return [.. failures]; } } }

    /// <summary>How long ago the scoring loop last completed a tick: the watchdog's measure of progress.</summary>
    public TimeSpan SinceProgress => clock.GetElapsedTime(Interlocked.Read(ref lastProgress));

    private readonly List<Buffered> buffers = [];

    public async IAsyncEnumerable<ScoreOutput> RunAsync(
        ISampleSource<VideoFrame>? video,
        ISampleSource<AudioBlock>? audio,
        ISampleSource<EdaSample>? eda,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var frameRate = current.Schedule.FrameRate;
        if (video is not null)
        {
            buffers.Add(new Buffered<VideoFrame>(ModalityKinds.Video, video, Capacity(frameRate), f => f.Timestamp, PushVideo));
        }

        if (audio is not null)
        {
            buffers.Add(new Buffered<AudioBlock>(ModalityKinds.Audio, audio, Capacity(100), b => b.Timestamp, PushAudio));
        }

        if (eda is not null)
        {
            buffers.Add(new Buffered<EdaSample>(ModalityKinds.Eda, eda, Capacity(1000), s => s.Timestamp, PushEda));
        }

        var start = clock.GetTimestamp();
        Interlocked.Exchange(ref lastProgress, start);
        var pumps = buffers.Select(b => Task.Run(() => PumpAsync(b, stop.Token), CancellationToken.None)).ToList();
        using var timer = new PeriodicTimer(options.Tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                BeginSwap();
                foreach (var buffer in buffers)
                {
                    buffer.Drain();
                }

                // Each buffer holds its source's samples in time order: merging them is a stable
                // sort by time (ties to the modality listed first), with nothing allocated per tick.
                while (Earliest() is { } next)
                {
                    next.PushNext();
                }

                // Only after its last samples: a push means the modality is live again, which
                // would otherwise erase the reason and report the ended source as stalled.
                foreach (var buffer in buffers)
                {
                    if (buffer.EndedBeforeDrain && !buffer.Reported)
                    {
                        buffer.Reported = true;
                        current.MarkEnded(buffer.Kind, buffer.Failed ? MissingReasons.SourceError : MissingReasons.SourceEnded);
                    }
                }

                var now = clock.GetElapsedTime(start) - options.SourceLatency;
                // While a new pipeline waits, the old one scores no further than the boundary.
                var until = incoming is { } waiting && waiting.Origin < now ? waiting.Origin : now;
                // One output at a time: catching up after a stall (a device that slept) costs no memory.
                while (current.TryAdvance(until - origin, out var output, cancellationToken))
                {
                    // A replaced pipeline counts clips from its switch; the run's numbering and clock continue.
                    var continued = clipOffset == 0 && origin == TimeSpan.Zero ? output : output with { Clip = output.Clip + clipOffset, ClipEnd = output.ClipEnd + origin };
                    nextClip = continued.Clip + 1;
                    yield return continued;
                }

                FinishSwap(now);

                Interlocked.Exchange(ref lastProgress, clock.GetTimestamp());
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(pumps);
            foreach (var buffer in buffers)
            {
                buffer.DisposeLeftovers();
            }
        }

        // Samples per second of the modality times the buffer length.
        int Capacity(double perSecond) => Math.Max(4, (int)Math.Ceiling(perSecond * options.BufferLength.TotalSeconds));
    }

    private Buffered? Earliest()
    {
        Buffered? earliest = null;
        foreach (var buffer in buffers)
        {
            if (buffer.HasNext && (earliest is null || buffer.NextTime < earliest.NextTime))
            {
                earliest = buffer;
            }
        }

        return earliest;
    }

    private async Task PumpAsync(Buffered buffer, CancellationToken cancellationToken)
    {
        try
        {
            await buffer.PumpAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (SourceException e)
        {
            buffer.Failed = true;
            lock (failures)
            {
                failures.Add(e.Message);
            }

            LogSourceFailed(buffer.Kind, e.Message);
        }
        finally
        {
            buffer.Finished = true;
            await buffer.DisposeSourceAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Switched to a new pipeline at {Seconds:F3} s; its first clip is number {Clip}")]
    private partial void LogSwapped(double seconds, long clip);

    // The message says what failed and why; a stack trace would only bury it.
    [LoggerMessage(Level = LogLevel.Error, Message = "The {Modality} source failed: {Problem}; its modality is missing from here on")]
    private partial void LogSourceFailed(string modality, string problem);

    private abstract class Buffered(string kind)
    {
        public string Kind { get; } = kind;

        public volatile bool Finished;

        public volatile bool Failed;

        public bool Reported { get; set; }

        /// <summary>The source had finished when the last drain began, so that drain took its last samples.</summary>
        public bool EndedBeforeDrain { get; protected set; }

        public abstract long Dropped { get; }

        public abstract Task PumpAsync(CancellationToken cancellationToken);

        /// <summary>Takes what the buffer holds, to be pushed in order with <see cref="PushNext"/>.</summary>
        public abstract void Drain();

        public abstract bool HasNext { get; }

        public abstract TimeSpan NextTime { get; }

        public abstract void PushNext();

        public abstract ValueTask DisposeSourceAsync();

        public abstract void DisposeLeftovers();
    }

    private sealed class Buffered<T>(string kind, ISampleSource<T> source, int capacity, Func<T, TimeSpan> timestamp, Action<T> push)
        : Buffered(kind)
    {
        private readonly SampleBuffer<T> buffer = new(capacity);
        private readonly Queue<T> drained = new();

        public override long Dropped => buffer.Dropped;

        public override bool HasNext => drained.Count > 0;

        public override TimeSpan NextTime => timestamp(drained.Peek());

        public override async Task PumpAsync(CancellationToken cancellationToken)
        {
            await foreach (var sample in source.ReadAsync(cancellationToken))
            {
                buffer.Write(sample);
            }
        }

        public override void Drain()
        {
            // Read before taking samples: the pump sets Finished after its last write.
            EndedBeforeDrain = Finished;
            while (buffer.TryRead(out var sample))
            {
                drained.Enqueue(sample);
            }
        }

        public override void PushNext() => push(drained.Dequeue());

        public override ValueTask DisposeSourceAsync() => source.DisposeAsync();

        public override void DisposeLeftovers()
        {
            while (drained.TryDequeue(out var sample) || buffer.TryRead(out sample))
            {
                (sample as IDisposable)?.Dispose();
            }
        }
    }
}

/// <summary>Timing of the live scoring loop.</summary>
public sealed class LiveDriverOptions
{
    /// <summary>How often buffered samples are handed to the pipeline.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How far behind real time clips are scored, so every source's samples for them have arrived.</summary>
    public TimeSpan SourceLatency { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Each modality's buffer holds this much; older samples are dropped when scoring falls behind.</summary>
    public TimeSpan BufferLength { get; init; } = TimeSpan.FromSeconds(2);
}
