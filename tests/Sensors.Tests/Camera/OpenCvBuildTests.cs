using EdgeEmotion.Sensors.Camera;

namespace EdgeEmotion.Sensors.Tests.Camera;

public sealed class OpenCvBuildTests
{
    [Fact]
    public void ParsesTheVideoIoSection()
    {
        const string info = """

            General configuration for OpenCV 4.13.0 =====================================
              Version control:               4.13.0

              Video I/O:
                DC1394:                      NO
                FFMPEG:                      YES
                  avcodec:                   YES (60.31.102)
                GStreamer:                   YES (1.20.3)
                v4l/v4l2:                    YES (linux/videodev2.h)

              Parallel framework:            pthreads
                GStreamer:                   NO
            """;

        Assert.Equal(new OpenCvBuild(HasGStreamer: true, HasV4l2: true, HasFfmpeg: true), OpenCvBuild.Parse(info));
    }

    [Fact]
    public void MissingBackendsReadAsAbsent()
    {
        const string info = """
              Video I/O:
                FFMPEG:                      NO
                GStreamer:                   NO
            """;

        Assert.Equal(new OpenCvBuild(false, false, false), OpenCvBuild.Parse(info));
    }

    [Fact]
    public void TheNuGetX64RuntimeHasFfmpegAndV4l2ButNoGStreamer()
    {
        var build = OpenCvBuild.Detect();

        Assert.False(build.HasGStreamer);
        Assert.True(build.HasFfmpeg);
        Assert.True(build.HasV4l2);
    }
}
