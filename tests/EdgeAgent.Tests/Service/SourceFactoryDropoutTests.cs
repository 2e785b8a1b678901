using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Sensors;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>Scripted visual dropouts reach a video file on the camera (the demo's --video), never a sensor.</summary>
public sealed class SourceFactoryDropoutTests
{
    private static readonly PackManifest Expression = ModelPackLoader.Load(TestPaths.Pack("expression")).Manifest;

    [Fact]
    public async Task A_file_camera_loses_its_frames_in_a_scripted_missing_interval()
    {
        var camera = new CameraOptions { Kind = CameraKind.File, Path = TestMedia.ExpressionVideo, Loop = true, Pacing = SourcePacing.AsFastAsPossible };
        var sources = new SourcesConfig { Visual = new SourceConfig { Type = SourceType.Camera, Camera = camera }, Dropouts = "visual:missing@1-2,visual:missing@17-18" };
        await using var video = new SourceFactory(sources, Expression, TestPaths.RepoRoot, TimeProvider.System, NullLoggerFactory.Instance).Video()!;

        var timestamps = new List<TimeSpan>();
        await foreach (var frame in video.ReadAsync(CancellationToken.None))
        {
            using (frame)
            {
                timestamps.Add(frame.Timestamp);
            }

            if (frame.Timestamp >= TimeSpan.FromSeconds(19))
            {
                break;
            }
        }

        // 30 fps, looping after 16 s with the timestamps carrying on: the second gap falls in the second pass.
        Assert.DoesNotContain(timestamps, t => (t >= TimeSpan.FromSeconds(1) && t < TimeSpan.FromSeconds(2)) || (t >= TimeSpan.FromSeconds(17) && t < TimeSpan.FromSeconds(18)));
        Assert.Equal((19 * 30) + 1 - 60, timestamps.Count);
    }

    [Fact]
    public async Task A_sensor_camera_is_not_scripted()
    {
        var sources = new SourcesConfig
        {
            Visual = new SourceConfig { Type = SourceType.Camera, Camera = new CameraOptions { Kind = CameraKind.V4l2, Device = "/dev/video9" } },
            Dropouts = "visual:missing@1-2",
        };
        await using var video = new SourceFactory(sources, Expression, TestPaths.RepoRoot, TimeProvider.System, NullLoggerFactory.Instance).Video()!;

        Assert.IsType<CameraSource>(video);
    }
}
