using System.Globalization;

namespace EdgeEmotion.Sensors.Camera;

/// <summary>
/// Configuration of a <see cref="CameraSource"/> (config section "Camera"); see
/// deploy/jetson/sensors-camera.md for how each key maps to the device.
/// </summary>
public sealed record CameraOptions
{
    public CameraKind Kind { get; set; } = CameraKind.Csi;

    /// <summary>Csi: the Argus sensor index (nvarguscamerasrc sensor-id).</summary>
    public int SensorId { get; init; }

    /// <summary>V4l2: the device node.</summary>
    public string Device { get; set; } = "/dev/video0";

    /// <summary>File: the video to decode.</summary>
    public string? Path { get; init; }

    public int Width { get; set; } = 1280;

    public int Height { get; set; } = 720;

    /// <summary>Frames per second requested from the camera; for a file without a usable rate, the rate its timestamps use.</summary>
    public int FrameRate { get; set; } = 30;

    /// <summary>Csi: nvvidconv flip-method, 0-7 (0 none, 2 rotate 180, 4 horizontal flip, 6 vertical flip...).</summary>
    public int FlipMethod { get; init; }

    /// <summary>Csi: a complete GStreamer pipeline (ending in appsink) used instead of the built one.</summary>
    public string? Pipeline { get; init; }

    /// <summary>No frame within this long after asking for one is a stall: the capture is reopened.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// An open that has not returned after this long counts as failed (a wedged Argus daemon can
    /// hang it). It is abandoned, and no new open starts until it returns.
    /// </summary>
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First delay before reopening after a failure; it doubles per failure in a row.</summary>
    public TimeSpan ReopenMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between reopen attempts.</summary>
    public TimeSpan ReopenMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Identical frames in a row that count as a frozen camera (Argus repeats the last frame when the sensor hangs); 0 turns the check off. Not applied to files.</summary>
    public int FrozenFrames { get; set; } = 30;

    /// <summary>Failed reads in a row after which the capture is closed and reopened.</summary>
    public int MaxReadFailures { get; set; } = 5;

    /// <summary>File: start again at the end, forever, with timestamps carrying on (soak tests).</summary>
    public bool Loop { get; init; }

    /// <summary>File: hand frames out when their timestamps come due (default) or as fast as read.</summary>
    public SourcePacing Pacing { get; set; } = SourcePacing.RealTime;

    /// <summary>A short name for logs and status: "camera csi0", "camera /dev/video1", "camera file a.mp4".</summary>
    public string Describe() => Kind switch
    {
        CameraKind.Csi => string.Create(CultureInfo.InvariantCulture, $"camera csi{SensorId}"),
        CameraKind.V4l2 => $"camera {Device}",
        _ => $"camera file {Path}",
    };

    /// <summary>Throws <see cref="ArgumentException"/> (or a subtype) naming the first key that is wrong.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Camera:Kind must be Csi, V4l2 or File.");
        }

        if (SensorId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SensorId), SensorId, "Camera:SensorId cannot be negative.");
        }

        if (Kind == CameraKind.V4l2 && string.IsNullOrWhiteSpace(Device))
        {
            throw new ArgumentException("Camera:Device must name a V4L2 device such as /dev/video0 when Kind is V4l2.", nameof(Device));
        }

        if (Kind == CameraKind.File && string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("Camera:Path must name a video file when Kind is File.", nameof(Path));
        }

        if (Width is < 1 or > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(Width), Width, "Camera:Width must be in [1, 8192] pixels.");
        }

        if (Height is < 1 or > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(Height), Height, "Camera:Height must be in [1, 8192] pixels.");
        }

        if (FrameRate is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(FrameRate), FrameRate, "Camera:FrameRate must be in [1, 1000] frames per second.");
        }

        if (FlipMethod is < 0 or > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(FlipMethod), FlipMethod, "Camera:FlipMethod must be in [0, 7] (nvvidconv flip-method).");
        }

        if (Pipeline is not null && !Pipeline.Contains("appsink", StringComparison.Ordinal))
        {
            throw new ArgumentException("Camera:Pipeline must end in an appsink for OpenCV to read from.", nameof(Pipeline));
        }

        if (StallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StallTimeout), StallTimeout, "Camera:StallTimeout must be positive.");
        }

        if (OpenTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OpenTimeout), OpenTimeout, "Camera:OpenTimeout must be positive.");
        }

        if (ReopenMinDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReopenMinDelay), ReopenMinDelay, "Camera:ReopenMinDelay must be positive.");
        }

        if (ReopenMaxDelay < ReopenMinDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(ReopenMaxDelay), ReopenMaxDelay, "Camera:ReopenMaxDelay must be at least Camera:ReopenMinDelay.");
        }

        if (FrozenFrames < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FrozenFrames), FrozenFrames, "Camera:FrozenFrames must be zero (off) or more frames.");
        }

        if (MaxReadFailures < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReadFailures), MaxReadFailures, "Camera:MaxReadFailures must be at least 1.");
        }

        if (Loop && Kind != CameraKind.File)
        {
            throw new ArgumentException("Camera:Loop applies only when Kind is File.", nameof(Loop));
        }

        if (!Enum.IsDefined(Pacing))
        {
            throw new ArgumentOutOfRangeException(nameof(Pacing), Pacing, "Camera:Pacing must be RealTime or AsFastAsPossible.");
        }
    }
}
