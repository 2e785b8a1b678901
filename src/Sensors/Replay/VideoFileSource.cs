using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;
using OpenCvSharp;

namespace EdgeEmotion.Sensors.Replay;

/// <summary>
/// Frames of a video file, decoded by OpenCV's FFMPEG backend, stamped
/// <c>StartOffset + index / fps</c>. A file is one stream: it can be read once. The file is
/// opened by the constructor, so a bad path fails there with a <see cref="SourceException"/>.
/// A file that is truncated or corrupt part-way ends where decoding stops (see
/// <see cref="EndedEarly"/>) instead of throwing or hanging.
/// </summary>
public sealed class VideoFileSource : ISampleSource<VideoFrame>
{
    /// <summary>Container frame rates above this are taken as bogus (time bases, not rates).</summary>
    public const double MaxPlausibleFrameRate = 1000;

    private readonly VideoFileSourceOptions options;
    private readonly VideoCapture capture;
    private readonly Lock gate = new();
    private Task<Mat?>? pendingRead;
    private int started;
    private long framesRead;
    private long failedReads;
    private volatile bool finished;
    private bool disposed;

    /// <exception cref="SourceException">The file is missing, not a video, or in a codec the decoder lacks.</exception>
    public VideoFileSource(string path, VideoFileSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        this.options = options ?? new VideoFileSourceOptions();
        this.options.Validate();
        Path = path;
        Description = $"video file {path}";
        if (!File.Exists(path))
        {
            throw new SourceException(Description, "cannot be opened: the file does not exist");
        }

        capture = Open(path, Description);
        var containerRate = capture.Fps;
        FrameRateFromContainer = double.IsFinite(containerRate) && containerRate > 0 && containerRate <= MaxPlausibleFrameRate;
        FrameRate = FrameRateFromContainer ? containerRate : this.options.FallbackFrameRate;
        var count = capture.FrameCount;
        ReportedFrameCount = count > 0 ? count : null;
        FrameWidth = capture.FrameWidth;
        FrameHeight = capture.FrameHeight;
    }

    public string Path { get; }

    public string Description { get; }

    /// <summary>Frames per second used for timestamps: the container's, or the fallback.</summary>
    public double FrameRate { get; }

    /// <summary>False when the container stated no usable rate and the fallback is in use.</summary>
    public bool FrameRateFromContainer { get; }

    /// <summary>
    /// The frame count the container states (null when it states none). For containers without
    /// a frame index it is OpenCV's estimate from duration and rate.
    /// </summary>
    public long? ReportedFrameCount { get; }

    public int FrameWidth { get; }

    public int FrameHeight { get; }

    /// <summary>Frames decoded and handed out so far.</summary>
    public long FramesRead => Interlocked.Read(ref framesRead);

    /// <summary>Reads that returned no frame (each retried, up to the configured limit in a row).</summary>
    public long FailedReads => Interlocked.Read(ref failedReads);

    /// <summary>True once the stream has ended (its enumeration completed).</summary>
    public bool Finished => finished;

    /// <summary>
    /// True when the stream ended before the container's frame count: the file is truncated or
    /// corrupt, and the last part was never seen.
    /// </summary>
    public bool EndedEarly => finished && ReportedFrameCount is { } count && FramesRead < count;

    /// <exception cref="InvalidOperationException">The file was already read.</exception>
    public IAsyncEnumerable<VideoFrame> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException($"{Description} is being or has been read; a video file is read once.");
        }

        return ReadFramesAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Task? inFlight;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            inFlight = pendingRead;
        }

        // Never free the decoder under a read that is still running on the thread pool.
        if (inFlight is not null)
        {
            await inFlight.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        capture.Dispose();
    }

    private async IAsyncEnumerable<VideoFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pacer = new Pacer(options.Pacing, options.TimeProvider);
        pacer.Start(options.StartOffset);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task<Mat?> read;
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);

                // Decoding is synchronous: one frame per pool work item keeps the caller's
                // thread free and lets cancellation in between frames.
                read = Task.Run(ReadNextFrame, CancellationToken.None);
                pendingRead = read;
            }

            var image = await read.ConfigureAwait(false);
            if (image is null)
            {
                finished = true;
                yield break;
            }

            var timestamp = options.StartOffset + MediaTime.OfSample(FramesRead, FrameRate);
            Interlocked.Increment(ref framesRead);
            try
            {
                await pacer.WaitUntilAsync(timestamp, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                image.Dispose();
                throw;
            }

            yield return new VideoFrame(timestamp, image);
        }
    }

    // The next decodable frame as 8-bit BGR, or null at the end of the stream: either the
    // container's frame count is reached, or reads keep failing (a damaged or cut-off file).
    private Mat? ReadNextFrame()
    {
        for (var failuresInRow = 0; ;)
        {
            var frame = new Mat();
            bool ok;
            try
            {
                ok = capture.Read(frame) && !frame.Empty();
            }
            catch (OpenCVException)
            {
                ok = false;
            }
            catch (OpenCvSharpException)
            {
                ok = false;
            }

            if (ok)
            {
                return ToBgr(frame);
            }

            frame.Dispose();
            if (ReportedFrameCount is { } count && FramesRead >= count)
            {
                return null;
            }

            Interlocked.Increment(ref failedReads);
            if (++failuresInRow >= options.MaxConsecutiveFailedReads)
            {
                return null;
            }
        }
    }

    private Mat ToBgr(Mat frame)
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
                throw new SourceException(
                    Description, string.Create(CultureInfo.InvariantCulture, $"decodes to pixel type {type}; expected 8-bit BGR, gray or BGRA"));
            }

            var bgr = new Mat();
            Cv2.CvtColor(frame, bgr, type == MatType.CV_8UC1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.BGRA2BGR);
            return bgr;
        }
    }

    private static VideoCapture Open(string path, string description)
    {
        VideoCapture? capture = null;
        try
        {
            capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
            if (capture.IsOpened())
            {
                return capture;
            }
        }
        catch (OpenCVException e)
        {
            capture?.Dispose();
            throw new SourceException(description, "cannot be opened: missing, not a video, or an unsupported codec", e);
        }

        capture.Dispose();
        throw new SourceException(description, "cannot be opened: missing, not a video, or an unsupported codec");
    }
}
