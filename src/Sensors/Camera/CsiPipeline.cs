using System.Globalization;

namespace EdgeEmotion.Sensors.Camera;

/// <summary>The GStreamer pipeline that reads a Jetson CSI sensor through Argus into BGR frames for OpenCV.</summary>
public static class CsiPipeline
{
    /// <summary>
    /// <see cref="CameraOptions.Pipeline"/> when set; otherwise nvarguscamerasrc at the configured
    /// size and rate in NVMM NV12, nvvidconv (flip) to BGRx, videoconvert to BGR, and an appsink that
    /// keeps only the newest frame (drop=true max-buffers=1) so a slow reader never lags behind.
    /// </summary>
    public static string Build(CameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.Pipeline))
        {
            return options.Pipeline;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"nvarguscamerasrc sensor-id={options.SensorId} ! video/x-raw(memory:NVMM),width={options.Width},height={options.Height},framerate={options.FrameRate}/1,format=NV12 ! nvvidconv flip-method={options.FlipMethod} ! video/x-raw,format=BGRx ! videoconvert ! video/x-raw,format=BGR ! appsink drop=true max-buffers=1");
    }
}
