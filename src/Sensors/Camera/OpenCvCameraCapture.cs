using OpenCvSharp;

namespace EdgeEmotion.Sensors.Camera;

/// <summary>An opened OpenCV <see cref="VideoCapture"/>.</summary>
internal sealed class OpenCvCameraCapture(VideoCapture capture) : ICameraCapture
{
    public double FrameRate { get; } = capture.Fps;

    public bool Read(Mat frame)
    {
        try
        {
            return capture.Read(frame) && !frame.Empty();
        }
        catch (OpenCVException)
        {
            return false;
        }
        catch (OpenCvSharpException)
        {
            return false;
        }
    }

    public void Dispose() => capture.Dispose();
}
