using EdgeEmotion.Tests;
using EdgeEmotion.Sensors.Camera;

namespace EdgeEmotion.Sensors.Tests.Camera;

public sealed class CameraOptionsTests
{
    [Fact]
    public void DefaultsAreValid()
    {
        var options = new CameraOptions();
        options.Validate();

        Assert.Equal(CameraKind.Csi, options.Kind);
        Assert.Equal("/dev/video0", options.Device);
        Assert.Equal(TimeSpan.FromSeconds(2), options.StallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ReopenMinDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ReopenMaxDelay);
        Assert.Equal(30, options.FrozenFrames);
    }

    public static TheoryData<CameraOptions, string> Invalid => new()
    {
        { new CameraOptions { FlipMethod = 8 }, "FlipMethod" },
        { new CameraOptions { SensorId = -1 }, "SensorId" },
        { new CameraOptions { Width = 0 }, "Width" },
        { new CameraOptions { Height = 9000 }, "Height" },
        { new CameraOptions { FrameRate = 0 }, "FrameRate" },
        { new CameraOptions { Kind = CameraKind.File }, "Path" },
        { new CameraOptions { Kind = CameraKind.V4l2, Device = " " }, "Device" },
        { new CameraOptions { Loop = true }, "Loop" },
        { new CameraOptions { StallTimeout = TimeSpan.Zero }, "StallTimeout" },
        { new CameraOptions { ReopenMinDelay = TimeSpan.Zero }, "ReopenMinDelay" },
        { new CameraOptions { OpenTimeout = TimeSpan.Zero }, "OpenTimeout" },
        { new CameraOptions { ReopenMaxDelay = TimeSpan.FromMilliseconds(10) }, "ReopenMaxDelay" },
        { new CameraOptions { FrozenFrames = -1 }, "FrozenFrames" },
        { new CameraOptions { MaxReadFailures = 0 }, "MaxReadFailures" },
        { new CameraOptions { Pipeline = "nvarguscamerasrc ! fakesink" }, "Pipeline" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidValuesNameTheirKey(CameraOptions options, string key)
    {
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);

        Assert.Equal(key, error.ParamName);
        Assert.Contains("Camera:" + key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSourceValidatesItsOptions()
    {
        var error = Assert.ThrowsAny<ArgumentException>(
            () => new CameraSource(new CameraOptions { FlipMethod = 9 }, new ListLogger<CameraSource>()));

        Assert.Equal("FlipMethod", error.ParamName);
    }
}
