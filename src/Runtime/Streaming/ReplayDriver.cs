using System.Diagnostics;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// Feeds recorded sources to a pipeline in media time, as fast as they decode: the samples of
/// all sources are merged by timestamp, and after each one the pipeline is told that every
/// source has passed it, so the result is causal and the same on every run.
/// </summary>
public sealed partial class ReplayDriver(StreamingPipeline pipeline, ILogger<ReplayDriver> logger)
{
    private readonly List<string> failures = [];

    /// <summary>Sources that failed part-way (their modality was substituted or held from then on).</summary>
    public IReadOnlyList<string> Failures => failures;

    // Time and managed bytes each source has spent producing samples (decoding, generating), by modality kind.
    private readonly Dictionary<string, SourceCost> costs = new(StringComparer.Ordinal);

    /// <summary>Media time covered: the end of the latest sample of any source.</summary>
    public TimeSpan MediaEnd { get; private set; }

    /// <summary>
    /// What the source of a modality kind has cost so far: the time inside its reads (decoding a
    /// file, generating synthetic media) and the managed bytes they allocated on the driving thread.
    /// </summary>
    public SourceCost CostOf(string modalityKind) => costs.GetValueOrDefault(modalityKind);

    public async IAsyncEnumerable<ScoreOutput> RunAsync(
        ISampleSource<VideoFrame>? video,
        ISampleSource<AudioBlock>? audio,
        ISampleSource<EdaSample>? eda,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var frameDuration = TimeSpan.FromSeconds(1 / pipeline.Schedule.FrameRate);
        var heads = new List<Head>();
        try
        {
            if (video is not null)
            {
                heads.Add(new Head<VideoFrame>(ModalityKinds.Video, video, f => f.Timestamp, f => f.Timestamp + frameDuration, pipeline.Push, cancellationToken));
            }

            if (audio is not null)
            {
                heads.Add(new Head<AudioBlock>(ModalityKinds.Audio, audio, b => b.Timestamp, b => b.Timestamp + b.Duration, pipeline.Push, cancellationToken));
            }

            if (eda is not null)
            {
                heads.Add(new Head<EdaSample>(ModalityKinds.Eda, eda, s => s.Timestamp, s => s.Timestamp, pipeline.Push, cancellationToken));
            }

            foreach (var head in heads)
            {
                await AdvanceAsync(head);
            }

            while (Earliest(heads) is { } next)
            {
                var timestamp = next.Timestamp;
                MediaEnd = Max(MediaEnd, next.End);
                next.PushCurrent();
                await AdvanceAsync(next);

                // One output at a time: a time jump in a file costs no memory (and no enumerator per sample).
                while (pipeline.TryAdvance(timestamp, out var output, cancellationToken))
                {
                    yield return output;
                }
            }

            while (pipeline.TryAdvance(MediaEnd, out var output, cancellationToken))
            {
                yield return output;
            }
        }
        finally
        {
            foreach (var head in heads)
            {
                await head.DisposeAsync();
            }
        }
    }

    // Earliest sample first; ties go to the modality listed first, so runs repeat exactly.
    private static Head? Earliest(List<Head> heads)
    {
        Head? earliest = null;
        foreach (var head in heads)
        {
            if (head.HasCurrent && (earliest is null || head.Timestamp < earliest.Timestamp))
            {
                earliest = head;
            }
        }

        return earliest;
    }

    private async Task AdvanceAsync(Head head)
    {
        var started = Stopwatch.GetTimestamp();
        var thread = Environment.CurrentManagedThreadId;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            if (!await head.MoveNextAsync())
            {
                pipeline.MarkEnded(head.Kind, MissingReasons.SourceEnded);
            }
        }
        catch (SourceException e)
        {
            failures.Add(e.Message);
            LogSourceFailed(head.Kind, e.Message);
            pipeline.MarkEnded(head.Kind, MissingReasons.SourceError);
        }
        finally
        {
            // A source that really waited may resume on another thread: its bytes are then not ours to count.
            var bytes = Environment.CurrentManagedThreadId == thread ? GC.GetAllocatedBytesForCurrentThread() - allocated : 0;
            var cost = costs.GetValueOrDefault(head.Kind);
            costs[head.Kind] = new SourceCost(cost.Time + Stopwatch.GetElapsedTime(started), cost.AllocatedBytes + bytes);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // The message says what failed and why; a stack trace would only bury it.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Modality} source failed: {Problem}; its modality is missing from here on")]
    private partial void LogSourceFailed(string modality, string problem);

    private abstract class Head(string kind) : IAsyncDisposable
    {
        public string Kind { get; } = kind;

        public bool HasCurrent { get; protected set; }

        public abstract TimeSpan Timestamp { get; }

        public abstract TimeSpan End { get; }

        public abstract ValueTask<bool> MoveNextAsync();

        public abstract void PushCurrent();

        public abstract ValueTask DisposeAsync();
    }

    private sealed class Head<T>(
        string kind, ISampleSource<T> source, Func<T, TimeSpan> timestamp, Func<T, TimeSpan> end, Action<T> push, CancellationToken cancellationToken)
        : Head(kind)
    {
        private readonly IAsyncEnumerator<T> enumerator = source.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

        public override TimeSpan Timestamp => timestamp(enumerator.Current);

        public override TimeSpan End => end(enumerator.Current);

        public override async ValueTask<bool> MoveNextAsync()
        {
            HasCurrent = false;
            HasCurrent = await enumerator.MoveNextAsync();
            return HasCurrent;
        }

        public override void PushCurrent()
        {
            push(enumerator.Current);
            HasCurrent = false;
        }

        public override async ValueTask DisposeAsync()
        {
            if (HasCurrent && enumerator.Current is IDisposable unused)
            {
                unused.Dispose(); // read but never pushed: the pipeline did not take ownership
            }

            await enumerator.DisposeAsync();
            await source.DisposeAsync();
        }
    }
}

/// <summary>What a replay source has cost: time inside its reads and the managed bytes they allocated.</summary>
public readonly record struct SourceCost(TimeSpan Time, long AllocatedBytes);
