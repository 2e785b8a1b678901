using EdgeEmotion.Sensors.Camera;

namespace EdgeEmotion.Sensors.Tests.Camera;

public sealed class CsiPipelineTests
{
    [Fact]
    public void DefaultsBuildTheDocumentedArgusPipeline()
    {
        Assert.Equal(
            "nvarguscamerasrc sensor-id=0 ! video/x-raw(memory:NVMM),width=1280,height=720,framerate=30/1,format=NV12 ! nvvidconv flip-method=0 ! video/x-raw,format=BGRx ! videoconvert ! video/x-raw,format=BGR ! appsink drop=true max-buffers=1",
            CsiPipeline.Build(new CameraOptions()));
    }

    [Fact]
    public void SensorSizeRateAndFlipAreApplied()
    {
        var options = new CameraOptions { SensorId = 1, Width = 1920, Height = 1080, FrameRate = 60, FlipMethod = 2 };

        Assert.Equal(
            "nvarguscamerasrc sensor-id=1 ! video/x-raw(memory:NVMM),width=1920,height=1080,framerate=60/1,format=NV12 ! nvvidconv flip-method=2 ! video/x-raw,format=BGRx ! videoconvert ! video/x-raw,format=BGR ! appsink drop=true max-buffers=1",
            CsiPipeline.Build(options));
    }

    [Fact]
    public void SmallModeFromTheSameSensor()
    {
        var pipeline = CsiPipeline.Build(new CameraOptions { Width = 640, Height = 480, FrameRate = 15, FlipMethod = 6 });

        Assert.Contains("width=640,height=480,framerate=15/1,format=NV12", pipeline, StringComparison.Ordinal);
        Assert.Contains("nvvidconv flip-method=6 !", pipeline, StringComparison.Ordinal);
        Assert.EndsWith("appsink drop=true max-buffers=1", pipeline, StringComparison.Ordinal);
    }

    [Fact]
    public void PipelineOverrideIsUsedVerbatim()
    {
        const string custom = "nvarguscamerasrc sensor-id=0 wbmode=0 ! nvvidconv ! video/x-raw,format=BGRx ! videoconvert ! appsink";

        Assert.Equal(custom, CsiPipeline.Build(new CameraOptions { Pipeline = custom, SensorId = 3 }));
    }
}
