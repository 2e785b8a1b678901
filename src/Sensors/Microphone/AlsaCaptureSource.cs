using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EdgeEmotion.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Sensors.Microphone;

/// <summary>
/// A live microphone through ALSA, as mono <see cref="AudioBlock"/>s of one period each.
/// <para>
/// A background task does the blocking reads and hands blocks over through a small bounded
/// queue; when the consumer stalls, the device overruns, which is counted and recovered.
/// Timestamps are on the run's clock (time since <see cref="ReadAsync"/> began) and advance by
/// the frames read; after an overrun or a reopen they re-anchor to the current time, so lost
/// audio is a visible gap.
/// </para>
/// <para>
/// Failures: overruns (-EPIPE) and suspends are recovered with snd_pcm_recover. Any other read
/// error (a USB mic unplugged), or no audio for <see cref="AlsaCaptureOptions.StallTimeout"/>, closes the device and reopens it with exponential backoff
/// (<see cref="AlsaCaptureOptions.ReopenMinDelay"/> doubling up to <see cref="AlsaCaptureOptions.ReopenMaxDelay"/>),
/// forever, logging every failed attempt: a device that cannot be opened, even at start, is
/// retried the same way, because a mic may be plugged in later and the agent must keep
/// running. The only <see cref="SourceException"/> is for what no retry can fix: libasound2
/// not installed. The enumeration ends only on cancellation or after <see cref="AlsaCaptureOptions.MaxFrames"/>.
/// </para>
/// </summary>
public sealed partial class AlsaCaptureSource : ISampleSource<AudioBlock>
{
    private const int QueueBlocks = 16;

    private readonly AlsaCaptureOptions options;
    private readonly ILogger<AlsaCaptureSource> logger;
    private readonly TimeProvider clock;
    private readonly Func<AlsaCaptureOptions, IAlsaCapture> openCapture;
    private long overruns;
    private long reopens;
    private long openFailures;

    /// <param name="options">Validated here.</param>
    /// <param name="logger">Opens, overruns, failures and reopen attempts.</param>
    /// <param name="timeProvider">The run clock for timestamps and backoff delays; default system.</param>
    /// <param name="openCapture">Opens the device; default <see cref="AlsaPcm.Open"/>. Tests wrap the real PCM to inject faults.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names the <c>Alsa.</c> key).</exception>
    public AlsaCaptureSource(
        AlsaCaptureOptions options,
        ILogger<AlsaCaptureSource> logger,
        TimeProvider? timeProvider = null,
        Func<AlsaCaptureOptions, IAlsaCapture>? openCapture = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        this.options = options;
        this.logger = logger;
        clock = timeProvider ?? TimeProvider.System;
        this.openCapture = openCapture ?? (o => AlsaPcm.Open(o.Device, o));
    }

    public string Description => $"microphone {options.Device}";

    /// <summary>Overruns recovered so far.</summary>
    public long Overruns => Interlocked.Read(ref overruns);

    /// <summary>Times the device was closed after an error to be reopened.</summary>
    public long Reopens => Interlocked.Read(ref reopens);

    /// <summary>Failed open attempts so far.</summary>
    public long OpenFailures => Interlocked.Read(ref openFailures);

    /// <exception cref="SourceException">libasound2 is not installed.</exception>
    public async IAsyncEnumerable<AudioBlock> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<AudioBlock>(
            new BoundedChannelOptions(QueueBlocks) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var capture = new CaptureClock(clock, clock.GetTimestamp(), options.SampleRate);
        var loop = Task.Run(() => CaptureAsync(queue.Writer, capture, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var block in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return block;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task CaptureAsync(ChannelWriter<AudioBlock> writer, CaptureClock captureClock, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var backoff = new ExponentialBackoff(options.ReopenMinDelay, options.ReopenMaxDelay);
            var attempt = 0;
            var frames = new FrameCounter(options.MaxFrames);
            while (!cancellationToken.IsCancellationRequested && !frames.Done)
            {
                attempt++;
                var device = TryOpen(attempt, backoff.Ceiling);
                if (device is null)
                {
                    await Task.Delay(backoff.Next(), clock, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                attempt = 0;
                backoff.Reset();
                captureClock.Break();
                using (device)
                {
                    var error = await CaptureUntilErrorAsync(device, writer, captureClock, frames, cancellationToken).ConfigureAwait(false);
                    if (error is null)
                    {
                        break;
                    }

                    Interlocked.Increment(ref reopens);
                    LogReadFailed(logger, options.Device, error, backoff.Ceiling);
                }

                await Task.Delay(backoff.Next(), clock, cancellationToken).ConfigureAwait(false);
            }

            if (frames.Done)
            {
                LogEnded(logger, options.Device, frames.Total);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (DllNotFoundException e)
        {
            failure = new SourceException(Description, e.Message, e);
        }
        catch (Exception e)
        {
            // Unexpected (a bug): the pipeline marks the modality failed instead of the agent dying.
            LogUnexpected(logger, options.Device, e);
            failure = new SourceException(Description, e.Message, e);
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private IAlsaCapture? TryOpen(int attempt, TimeSpan retryDelay)
    {
        try
        {
            var device = openCapture(options);
            LogOpened(logger, options.Device, options.SampleRate, options.Channels, options.Format, options.PeriodTime.TotalMilliseconds);
            return device;
        }
        catch (AlsaException e)
        {
            Interlocked.Increment(ref openFailures);
            LogOpenFailed(logger, options.Device, attempt, e.Message, retryDelay);
            return null;
        }
    }

    /// <summary>Reads until the stream ends (null) or fails in a way that needs a reopen (the reason).</summary>
    private async Task<string?> CaptureUntilErrorAsync(
        IAlsaCapture device, ChannelWriter<AudioBlock> writer, CaptureClock captureClock, FrameCounter frames, CancellationToken cancellationToken)
    {
        var reader = new PeriodReader(device, options);
        var pool = new AudioBlockPool(options.PeriodFrames);
        long? stalledSince = null;
        while (!frames.Done)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var want = frames.Clamp(options.PeriodFrames);
            var result = reader.Read(want);
            if (result != AlsaNative.EAgain)
            {
                stalledSince = null;
            }

            if (result > 0)
            {
                var count = (int)result;
                frames.Add(count);
                // Pooled: the pipeline disposes each block once it has copied the samples.
                var block = pool.Rent(captureClock.Next(count), options.SampleRate, count);
                reader.Mono(block.Samples);
                await writer.WriteAsync(block, cancellationToken).ConfigureAwait(false);
            }
            else if (result is AlsaNative.EPipe or AlsaNative.EStrPipe)
            {
                var count = Interlocked.Increment(ref overruns);
                LogOverrun(logger, options.Device, count, AlsaNative.ErrorText((int)result));
                captureClock.Break();
                var recovered = device.Recover((int)result);
                if (recovered < 0)
                {
                    return $"recovering from {AlsaNative.ErrorText((int)result)} failed: {AlsaNative.ErrorText(recovered)}";
                }
            }
            else if (result == AlsaNative.EAgain)
            {
                // No audio within the PCM's wait timeout: fine for a moment, a dead device after StallTimeout.
                stalledSince ??= clock.GetTimestamp();
                var stalled = clock.GetElapsedTime(stalledSince.Value);
                if (stalled >= options.StallTimeout)
                {
                    return $"no audio for {stalled.TotalSeconds:F1} s (Alsa.StallTimeout)";
                }
            }
            else if (result == AlsaNative.EIntr)
            {
                // Interrupted by a signal: nothing read, nothing lost.
            }
            else if (result < 0)
            {
                return $"{AlsaNative.ErrorText((int)result)} ({result})";
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Microphone {Device} opened: {SampleRate} Hz, {Channels} ch, {Format}, {PeriodMs} ms periods")]
    private static partial void LogOpened(ILogger logger, string device, int sampleRate, int channels, string format, double periodMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Microphone {Device} could not be opened (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    private static partial void LogOpenFailed(ILogger logger, string device, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Microphone {Device} overrun ({Count} so far, {Reason}): audio was lost; recovering")]
    private static partial void LogOverrun(ILogger logger, string device, long count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Microphone {Device} failed: {Reason}; closing it and reopening in {Delay}")]
    private static partial void LogReadFailed(ILogger logger, string device, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Microphone {Device} reached its {Frames} frames (Alsa.MaxFrames)")]
    private static partial void LogEnded(ILogger logger, string device, long frames);

    [LoggerMessage(Level = LogLevel.Error, Message = "Microphone {Device} capture failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string device, Exception exception);
}
