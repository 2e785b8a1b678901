using OpenCvSharp;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// Says whether each frame repeats the previous one, and for how many frames in a row: a
/// camera that freezes keeps delivering the same image. Stateful: one per video stream.
/// </summary>
public sealed class FrozenFrameDetector : IDisposable
{
    private readonly FrozenFrameOptions options;
    private readonly Mat gray = new();
    private readonly Mat grayFloat = new();

    // Wrapped once: OpenCvSharp would make a new InputArray for it on every frame.
    private readonly InputArray grayFloatInput;
    private Mat previous = new();
    private Mat current = new();
    private Size previousFrameSize;
    private bool disposed;

    public FrozenFrameDetector(FrozenFrameOptions? options = null)
    {
        this.options = options ?? new FrozenFrameOptions();
        this.options.Validate();
        grayFloatInput = InputArray.Create(grayFloat);
    }

    /// <summary>Frames in a row, up to the last one observed, that repeated their predecessor.</summary>
    public int ConsecutiveRepeats { get; private set; }

    /// <summary>Mean absolute difference of the last frame to its predecessor (gray levels); NaN when there was none.</summary>
    public double LastDifference { get; private set; } = double.NaN;

    /// <summary>
    /// Takes the next frame (8-bit BGR or grayscale) and returns true when it repeats the
    /// previous one. The first frame, and the first after a size change, never does.
    /// </summary>
    public bool Observe(Mat frame)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Empty() || (frame.Type() != MatType.CV_8UC3 && frame.Type() != MatType.CV_8UC1))
        {
            throw new ArgumentException(
                $"Expected a non-empty 8-bit BGR or grayscale image, got {frame.Type()} of {frame.Width}x{frame.Height}.", nameof(frame));
        }

        MakeThumbnail(frame, current);
        var repeats = false;
        // A new resolution is a new stream (a reconnected camera), never a frozen one.
        if (!previous.Empty() && frame.Size() == previousFrameSize)
        {
            LastDifference = MeanAbsoluteDifference(current, previous);
            repeats = LastDifference <= options.Threshold;
        }
        else
        {
            LastDifference = double.NaN;
        }

        ConsecutiveRepeats = repeats ? ConsecutiveRepeats + 1 : 0;
        (previous, current) = (current, previous);
        previousFrameSize = frame.Size();
        return repeats;
    }

    /// <summary>Forgets the previous frame, e.g. after the source reconnected.</summary>
    public void Reset()
    {
        previous.Dispose();
        previous = new Mat();
        ConsecutiveRepeats = 0;
        LastDifference = double.NaN;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        grayFloatInput.Dispose();
        gray.Dispose();
        grayFloat.Dispose();
        previous.Dispose();
        current.Dispose();
    }

    // As cv::absdiff then cv::mean on the float thumbnails (difference in float, sum in double), in
    // managed code: two fewer OpenCV calls, and their per-call wrapper objects, on every frame.
    private static double MeanAbsoluteDifference(Mat a, Mat b)
    {
        var sum = 0.0;
        var rows = a.Rows;
        var cols = a.Cols;
        for (var y = 0; y < rows; y++)
        {
            var rowA = a.RowSpan<float>(y);
            var rowB = b.RowSpan<float>(y);
            for (var x = 0; x < rowA.Length; x++)
            {
                sum += Math.Abs(rowA[x] - rowB[x]);
            }
        }

        return sum / ((double)rows * cols);
    }

    // Float thumbnails: averaging in float keeps sensor noise visible instead of rounding it away.
    private void MakeThumbnail(Mat frame, Mat thumbnail)
    {
        if (frame.Channels() == 3)
        {
            Cv2.CvtColor(frame, gray, ColorConversionCodes.BGR2GRAY);
            gray.ConvertTo(grayFloat, MatType.CV_32F);
        }
        else
        {
            frame.ConvertTo(grayFloat, MatType.CV_32F);
        }

        var width = Math.Min(options.ThumbnailWidth, frame.Width);
        var height = Math.Max(1, (int)Math.Round(frame.Height * (double)width / frame.Width));
        Cv2.Resize(grayFloatInput, thumbnail, new Size(width, height), 0, 0, InterpolationFlags.Area);
    }
}
