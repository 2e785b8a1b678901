using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using OpenCvSharp;

namespace EdgeEmotion.Sensors.Camera;

/// <summary>
/// Frames from a CSI camera, a V4L2 device or a video file, kept flowing through failures: a
/// camera that does not open (or whose open hangs past <see cref="CameraOptions.OpenTimeout"/>)
/// is retried with exponential backoff; reads that fail
/// <see cref="CameraOptions.MaxReadFailures"/> times in a row, no frame within
/// <see cref="CameraOptions.StallTimeout"/>, and <see cref="CameraOptions.FrozenFrames"/>
/// identical frames in a row (Argus repeats the last frame when the sensor hangs) each close the
/// capture and reopen it. Meanwhile no frames come, which the pipeline sees as a stall; the
/// counters and <see cref="LastError"/> say what happened.
/// </summary>
/// <remarks>
/// Timestamps: for cameras, time since <see cref="ReadAsync"/> started on the
/// <see cref="TimeProvider"/> (monotonic, strictly increasing); for files, frame index / frame
/// rate, carried on across loops and reopens, paced by <see cref="CameraOptions.Pacing"/>.
/// <para>
/// <see cref="ReadAsync"/> throws only on cancellation, except in one terminal case: the camera
/// cannot be opened and retrying cannot help (<see cref="CameraOpenException.Permanent"/>: the
/// OpenCV build lacks GStreamer for a CSI camera or V4L2, or the video file does not exist). Then
/// it logs an error and throws <see cref="SourceException"/>, which the live driver treats as
/// the modality going missing for good; the agent keeps running. A file without
/// <see cref="CameraOptions.Loop"/> completes at its end.
/// </para>
/// </remarks>
public sealed partial class CameraSource : ISampleSource<VideoFrame>
{
    private readonly CameraOptions options;
    private readonly ILogger<CameraSource> logger;
    private readonly TimeProvider clock;
    private readonly ICameraCaptureFactory captureFactory;
    private readonly Lock gate = new();
    private GuardedCapture? current;
    private Task<ICameraCapture>? hungOpen;
    private int started;
    private bool disposed;
    private long opens;
    private long openFailures;
    private long reopens;
    private long readFailures;
    private long stalls;
    private long frozenRuns;
    private long loops;
    private long framesRead;
    private volatile string? lastError;

    /// <param name="options">Validated here; an invalid key throws <see cref="ArgumentException"/> naming it.</param>
    /// <param name="logger">Where opens, failures, stalls and frozen runs are logged.</param>
    /// <param name="timeProvider">The clock for timestamps, stall timeouts and backoff delays (system clock by default).</param>
    /// <param name="captureFactory">Opens captures (OpenCV by default); a seam for tests.</param>
    public CameraSource(CameraOptions options, ILogger<CameraSource> logger, TimeProvider? timeProvider = null, ICameraCaptureFactory? captureFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        this.options = options;
        this.logger = logger;
        clock = timeProvider ?? TimeProvider.System;
        this.captureFactory = captureFactory ?? new OpenCvCaptureFactory();
        Description = options.Describe();
    }

    public string Description { get; }

    public CameraOptions Options => options;

    /// <summary>Successful opens, the first one included.</summary>
    public long Opens => Interlocked.Read(ref opens);

    /// <summary>Attempts to open that failed.</summary>
    public long OpenFailures => Interlocked.Read(ref openFailures);

    /// <summary>Times an open capture was closed for trouble (read failures, a stall, frozen frames) to be reopened.</summary>
    public long Reopens => Interlocked.Read(ref reopens);

    /// <summary>Reads that returned no usable frame.</summary>
    public long ReadFailures => Interlocked.Read(ref readFailures);

    /// <summary>Reads that brought no frame within <see cref="CameraOptions.StallTimeout"/>.</summary>
    public long Stalls => Interlocked.Read(ref stalls);

    /// <summary>Runs of <see cref="CameraOptions.FrozenFrames"/> identical frames (cameras only: a file's still scenes are data).</summary>
    public long FrozenRuns => Interlocked.Read(ref frozenRuns);

    /// <summary>File with <see cref="CameraOptions.Loop"/>: times it started again from the beginning.</summary>
    public long Loops => Interlocked.Read(ref loops);

    /// <summary>Frames handed out.</summary>
    public long FramesRead => Interlocked.Read(ref framesRead);

    /// <summary>The last problem, for status reports; null while none happened.</summary>
    public string? LastError => lastError;

    /// <exception cref="InvalidOperationException">The source is already being read; it is read once.</exception>
    public IAsyncEnumerable<VideoFrame> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException($"{Description} is being or has been read; a camera source is read once.");
        }

        return ReadFramesAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        GuardedCapture? capture;
        lock (gate)
        {
            disposed = true;
            capture = current;
            current = null;
        }

        capture?.Release();
        return ValueTask.CompletedTask;
    }

    private async IAsyncEnumerable<VideoFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var backoff = new ExponentialBackoff(options.ReopenMinDelay, options.ReopenMaxDelay);
        var isFile = options.Kind == CameraKind.File;
        var pacer = new Pacer(isFile ? options.Pacing : SourcePacing.AsFastAsPossible, clock);
        var start = clock.GetTimestamp();
        pacer.Start(TimeSpan.Zero);
        using var frozen = new FrozenFrameDetector();
        var lastTimestamp = TimeSpan.MinValue;
        long fileIndex = 0;
        double? fileRate = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var capture = await OpenAsync(cancellationToken).ConfigureAwait(false);
            if (capture is null)
            {
                var delay = backoff.Next();
                LogOpenFailed(Description, lastError ?? "unknown", delay);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            fileRate ??= isFile ? FileRate(capture.FrameRate) : null;
            frozen.Reset();
            var end = SessionEnd.ReadFailures;
            long framesThisOpen = 0;
            var failuresInRow = 0;
            try
            {
                while (true)
                {
                    var (image, stalled) = await ReadWithinTimeoutAsync(capture, cancellationToken).ConfigureAwait(false);
                    if (stalled)
                    {
                        Interlocked.Increment(ref stalls);
                        lastError = $"no frame within {options.StallTimeout.TotalSeconds:0.###} s (stall)";
                        end = SessionEnd.Stalled;
                        break;
                    }

                    image = image is null ? null : ToBgr(image);
                    if (image is null)
                    {
                        if (isFile && framesThisOpen > 0)
                        {
                            end = SessionEnd.EndOfFile;
                            break;
                        }

                        Interlocked.Increment(ref readFailures);
                        if (++failuresInRow >= options.MaxReadFailures || isFile)
                        {
                            lastError = $"{failuresInRow} reads in a row returned no frame";
                            end = SessionEnd.ReadFailures;
                            break;
                        }

                        continue;
                    }

                    failuresInRow = 0;
                    // Files are data, not a sensor that can hang: no frozen check there.
                    var repeat = !isFile && frozen.Observe(image);
                    if (repeat && options.FrozenFrames > 0 && frozen.ConsecutiveRepeats >= options.FrozenFrames)
                    {
                        image.Dispose();
                        Interlocked.Increment(ref frozenRuns);
                        lastError = $"{frozen.ConsecutiveRepeats} identical frames in a row (frozen)";
                        end = SessionEnd.Frozen;
                        break;
                    }

                    // Frames that change prove the camera live: the next trouble starts the backoff afresh.
                    if (!repeat && framesThisOpen > 0)
                    {
                        backoff.Reset();
                    }

                    framesThisOpen++;
                    TimeSpan timestamp;
                    if (isFile)
                    {
                        timestamp = MediaTime.OfSample(fileIndex++, fileRate!.Value);
                    }
                    else
                    {
                        timestamp = clock.GetElapsedTime(start);
                        if (timestamp <= lastTimestamp)
                        {
                            timestamp = lastTimestamp + TimeSpan.FromTicks(1);
                        }
                    }

                    lastTimestamp = timestamp;
                    try
                    {
                        await pacer.WaitUntilAsync(timestamp, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        image.Dispose();
                        throw;
                    }

                    Interlocked.Increment(ref framesRead);
                    yield return new VideoFrame(timestamp, image);
                }
            }
            finally
            {
                Close(capture);
            }

            if (end == SessionEnd.EndOfFile)
            {
                if (!options.Loop)
                {
                    LogEndOfFile(Description, framesThisOpen);
                    yield break;
                }

                Interlocked.Increment(ref loops);
                LogLooping(Description, framesThisOpen);
                continue;
            }

            Interlocked.Increment(ref reopens);
            var wait = backoff.Next();
            switch (end)
            {
                case SessionEnd.Stalled:
                    LogStalled(Description, options.StallTimeout, wait);
                    break;
                case SessionEnd.Frozen:
                    LogFrozen(Description, options.FrozenFrames, wait);
                    break;
                default:
                    LogReadFailures(Description, failuresInRow, wait);
                    break;
            }

            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    // The opened capture, or null after a failure worth retrying (counted, in LastError).
    private async Task<GuardedCapture?> OpenAsync(CancellationToken cancellationToken)
    {
        // At most one open in flight: while an abandoned one still hangs in the driver, starting
        // another would only pile up blocked threads.
        if (hungOpen is { IsCompleted: false })
        {
            Interlocked.Increment(ref openFailures);
            lastError = "the previous open has not returned yet (hung in the driver)";
            return null;
        }

        ICameraCapture opened;
        // Opening blocks (GStreamer negotiates, V4L2 configures): keep it off the caller's thread.
        var open = Task.Run(() => captureFactory.Open(options), CancellationToken.None);
        try
        {
            opened = await open.WaitAsync(options.OpenTimeout, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled mid-open: whatever the open yields later is closed, not leaked.
            CloseWhenOpened(open);
            throw;
        }
        catch (TimeoutException)
        {
            hungOpen = open;
            CloseWhenOpened(open);
            Interlocked.Increment(ref openFailures);
            lastError = $"the open did not return within {options.OpenTimeout.TotalSeconds:0.###} s";
            return null;
        }
        catch (CameraOpenException e)
        {
            Interlocked.Increment(ref openFailures);
            lastError = e.Message;
            if (e.Permanent)
            {
                LogOpenFailedPermanently(e, Description, e.Message);
                throw new SourceException(Description, e.Message, e);
            }

            return null;
        }

        var capture = new GuardedCapture(opened);
        lock (gate)
        {
            if (disposed)
            {
                capture.Release();
                throw new ObjectDisposedException(nameof(CameraSource));
            }

            current = capture;
        }

        if (Interlocked.Increment(ref opens) == 1)
        {
            LogOpened(Description);
        }
        else
        {
            LogReopened(Description);
        }

        return capture;
    }

    private static void CloseWhenOpened(Task<ICameraCapture> open) =>
        _ = open.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private async Task<(Mat? Image, bool Stalled)> ReadWithinTimeoutAsync(GuardedCapture capture, CancellationToken cancellationToken)
    {
        var read = capture.ReadAsync();
        try
        {
            return (await read.WaitAsync(options.StallTimeout, clock, cancellationToken).ConfigureAwait(false), false);
        }
        catch (TimeoutException)
        {
            return (null, true);
        }
    }

    private void Close(GuardedCapture capture)
    {
        lock (gate)
        {
            if (ReferenceEquals(current, capture))
            {
                current = null;
            }
        }

        capture.Release();
    }

    private double FileRate(double reported) =>
        double.IsFinite(reported) && reported > 0 && reported <= 1000 ? reported : options.FrameRate;

    // 8-bit BGR as VideoFrame requires; gray and BGRA are converted, anything else is a failed read.
    private static Mat? ToBgr(Mat frame)
    {
        var type = frame.Type();
        if (type == MatType.CV_8UC3)
        {
            return frame;
        }

        using (frame)
        {
            if (type != MatType.CV_8UC1 && type != MatType.CV_8UC4)
            {
                return null;
            }

            var bgr = new Mat();
            Cv2.CvtColor(frame, bgr, type == MatType.CV_8UC1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.BGRA2BGR);
            return bgr;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened {Camera}")]
    private partial void LogOpened(string camera);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reopened {Camera}")]
    private partial void LogReopened(string camera);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Camera} did not open: {Reason}; retrying in {Delay}")]
    private partial void LogOpenFailed(string camera, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Camera} cannot be opened and will not be retried: {Reason}")]
    private partial void LogOpenFailedPermanently(Exception exception, string camera, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Camera}: {Failures} reads in a row returned no frame; reopening in {Delay}")]
    private partial void LogReadFailures(string camera, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Camera}: no frame within {StallTimeout} (stall); reopening in {Delay}")]
    private partial void LogStalled(string camera, TimeSpan stallTimeout, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Camera}: {Frames} identical frames in a row (frozen sensor); reopening in {Delay}")]
    private partial void LogFrozen(string camera, int frames, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Camera}: end of file after {Frames} frames; replaying from the start")]
    private partial void LogLooping(string camera, long frames);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Camera}: end of file after {Frames} frames")]
    private partial void LogEndOfFile(string camera, long frames);

    private enum SessionEnd
    {
        ReadFailures,
        Stalled,
        Frozen,
        EndOfFile,
    }
}
