namespace EdgeEmotion.Sensors.Camera;

/// <summary>How a <see cref="CameraSource"/> reaches its frames.</summary>
public enum CameraKind
{
    /// <summary>A Jetson CSI sensor through Argus (nvarguscamerasrc), opened as a GStreamer pipeline.</summary>
    Csi,

    /// <summary>A V4L2 device such as a USB camera (/dev/videoN).</summary>
    V4l2,

    /// <summary>A video file decoded by FFMPEG, optionally replayed forever (soak tests).</summary>
    File,
}
