using OpenCvSharp;

namespace EdgeEmotion.Sensors.Camera;

/// <summary>
/// One opened capture: blocking reads of the next frame. <see cref="CameraSource"/> calls
/// <see cref="Read"/> on the thread pool, one at a time, and disposes the capture only when no
/// read is running.
/// </summary>
public interface ICameraCapture : IDisposable
{
    /// <summary>The stream's frame rate as the backend reports it; 0 or NaN when unknown.</summary>
    double FrameRate { get; }

    /// <summary>Blocks until the next frame is in <paramref name="frame"/>; false when none could be read (or the file ended).</summary>
    bool Read(Mat frame);
}

/// <summary>Opens captures for a <see cref="CameraSource"/>: OpenCV by default, a scripted one in tests.</summary>
public interface ICameraCaptureFactory
{
    /// <summary>Opens the camera the options name (blocking).</summary>
    /// <exception cref="CameraOpenException">It could not be opened; <see cref="CameraOpenException.Permanent"/> says whether retrying can help.</exception>
    ICameraCapture Open(CameraOptions options);
}

/// <summary>A camera could not be opened.</summary>
public sealed class CameraOpenException : Exception
{
    public CameraOpenException()
    {
    }

    public CameraOpenException(string message)
        : base(message)
    {
    }

    public CameraOpenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public CameraOpenException(string message, bool permanent, Exception? innerException = null)
        : base(message, innerException)
    {
        Permanent = permanent;
    }

    /// <summary>True when retrying cannot help (the OpenCV build lacks the backend, the file is missing).</summary>
    public bool Permanent { get; }
}
