using EdgeEmotion.Sensors.Synthetic;
using OpenCvSharp;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>Frames by index, asked for in increasing order, for the face-stage benchmark.</summary>
internal interface IFaceBenchFrames : IDisposable
{
    /// <summary>What the frames are, for the report.</summary>
    string Description { get; }

    /// <summary>Frame <paramref name="index"/> (8-bit BGR, the caller owns it), or null past the end.</summary>
    Mat? Frame(long index);
}

/// <summary>The streaming run's synthetic camera: the same frames, rendered by index.</summary>
internal sealed class SyntheticFaceBenchFrames(SyntheticVideoOptions options) : IFaceBenchFrames
{
    private readonly SyntheticVideoSource source = new(options);

    public string Description => $"synthetic video of {Path.GetFileName(options.FaceImagePath)}, {options.Width}x{options.Height}";

    public Mat? Frame(long index) => source.Render(index);

    public void Dispose() => source.DisposeAsync().AsTask().GetAwaiter().GetResult(); // disposes synchronously
}

/// <summary>A video file's frames, one per slot of the pack's frame clock (frame index = slot).</summary>
internal sealed class VideoFileFaceBenchFrames : IFaceBenchFrames
{
    private readonly VideoCapture capture;
    private long next;

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">OpenCV cannot open it as a video.</exception>
    public VideoFileFaceBenchFrames(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"face video {path} does not exist", path);
        }

        Description = path;
        capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new InvalidDataException($"face video {path} cannot be opened as a video");
        }
    }

    public string Description { get; }

    public Mat? Frame(long index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, next);
        for (; next < index; next++)
        {
            if (!capture.Grab())
            {
                return null;
            }
        }

        var frame = new Mat();
        next++;
        if (!capture.Read(frame) || frame.Empty())
        {
            frame.Dispose();
            return null;
        }

        return frame;
    }

    public void Dispose() => capture.Dispose();
}
