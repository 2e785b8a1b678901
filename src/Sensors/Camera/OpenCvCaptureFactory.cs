using OpenCvSharp;

namespace EdgeEmotion.Sensors.Camera;

/// <summary>
/// Opens cameras with OpenCV: CSI as a GStreamer pipeline, V4L2 devices with the V4L2 backend,
/// files with FFMPEG. A backend the native OpenCV build lacks is a permanent failure.
/// </summary>
public sealed class OpenCvCaptureFactory : ICameraCaptureFactory
{
    /// <summary>Where the deployment notes explain building OpenCvSharpExtern with GStreamer.</summary>
    public const string CameraDoc = "deploy/jetson/sensors-camera.md";

    private readonly Lazy<OpenCvBuild> build;

    public OpenCvCaptureFactory(OpenCvBuild? build = null)
    {
        this.build = build is null ? new Lazy<OpenCvBuild>(DetectBuild) : new Lazy<OpenCvBuild>(build);
    }

    public ICameraCapture Open(CameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            CameraKind.Csi => OpenCsi(options),
            CameraKind.V4l2 => OpenV4l2(options),
            _ => OpenFile(options),
        };
    }

    private OpenCvCameraCapture OpenCsi(CameraOptions options)
    {
        if (!build.Value.HasGStreamer)
        {
            throw new CameraOpenException(
                "the loaded OpenCV (OpenCvSharpExtern) was built without GStreamer, so the CSI pipeline cannot be opened; "
                + $"build OpenCvSharpExtern against JetPack's OpenCV with GStreamer as {CameraDoc} explains",
                permanent: true);
        }

        var pipeline = CsiPipeline.Build(options);
        return OpenOrThrow(() => new VideoCapture(pipeline, VideoCaptureAPIs.GSTREAMER), $"the GStreamer pipeline did not open (is nvargus-daemon running and sensor-id {options.SensorId} connected?): {pipeline}");
    }

    private OpenCvCameraCapture OpenV4l2(CameraOptions options)
    {
        if (!build.Value.HasV4l2)
        {
            throw new CameraOpenException("the loaded OpenCV was built without V4L2 support", permanent: true);
        }

        if (!System.IO.File.Exists(options.Device))
        {
            throw new CameraOpenException($"{options.Device} does not exist (camera unplugged?)", permanent: false);
        }

        return OpenOrThrow(
            () =>
            {
                var capture = new VideoCapture(options.Device, VideoCaptureAPIs.V4L2);
                if (capture.IsOpened())
                {
                    capture.Set(VideoCaptureProperties.FrameWidth, options.Width);
                    capture.Set(VideoCaptureProperties.FrameHeight, options.Height);
                    capture.Set(VideoCaptureProperties.Fps, options.FrameRate);
                }

                return capture;
            },
            $"{options.Device} did not open with V4L2 (busy, no permission - is the user in the video group? - or not a capture device)");
    }

    private static OpenCvCameraCapture OpenFile(CameraOptions options)
    {
        var path = options.Path!;
        if (!System.IO.File.Exists(path))
        {
            throw new CameraOpenException($"{path} does not exist", permanent: true);
        }

        return OpenOrThrow(() => new VideoCapture(path, VideoCaptureAPIs.FFMPEG), $"{path} did not open: not a video, or a codec FFMPEG lacks");
    }

    // No native OpenCvSharpExtern at all (a Jetson without the build below) is permanent too.
    private static OpenCvBuild DetectBuild()
    {
        try
        {
            return OpenCvBuild.Detect();
        }
        catch (DllNotFoundException e)
        {
            throw NativeMissing(e);
        }
        catch (TypeInitializationException e)
        {
            throw NativeMissing(e);
        }
    }

    private static CameraOpenException NativeMissing(Exception e) => new(
        $"the native OpenCvSharpExtern library could not be loaded ({e.Message}); on a Jetson build it against an OpenCV with GStreamer as {CameraDoc} explains",
        permanent: true,
        e);

    private static OpenCvCameraCapture OpenOrThrow(Func<VideoCapture> open, string failure)
    {
        VideoCapture? capture = null;
        try
        {
            capture = open();
            if (capture.IsOpened())
            {
                var opened = new OpenCvCameraCapture(capture);
                capture = null;
                return opened;
            }
        }
        catch (OpenCVException e)
        {
            throw new CameraOpenException(failure, permanent: false, e);
        }
        finally
        {
            capture?.Dispose();
        }

        throw new CameraOpenException(failure, permanent: false);
    }
}
