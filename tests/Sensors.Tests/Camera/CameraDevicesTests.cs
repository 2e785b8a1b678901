using EdgeEmotion.Sensors.Camera;

namespace EdgeEmotion.Sensors.Tests.Camera;

public sealed class CameraDevicesTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("camera-devices-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void ListsVideoNodesInNumericOrderWithNames()
    {
        var dev = Directory.CreateDirectory(Path.Combine(root, "dev")).FullName;
        var sys = Directory.CreateDirectory(Path.Combine(root, "sys")).FullName;
        foreach (var (node, name) in new[] { ("video10", "UVC Camera (046d:0825)"), ("video0", "vi-output, imx219 9-0010"), ("video2", null) })
        {
            File.WriteAllText(Path.Combine(dev, node), string.Empty);
            if (name is not null)
            {
                Directory.CreateDirectory(Path.Combine(sys, node));
                File.WriteAllText(Path.Combine(sys, node, "name"), name + "\n");
            }
        }

        File.WriteAllText(Path.Combine(dev, "videodev"), string.Empty);

        var devices = CameraDevices.List(dev, sys);

        Assert.Equal(
            [
                new CameraDevice(Path.Combine(dev, "video0"), "vi-output, imx219 9-0010", LooksLikeCsi: true),
                new CameraDevice(Path.Combine(dev, "video2"), string.Empty, LooksLikeCsi: false),
                new CameraDevice(Path.Combine(dev, "video10"), "UVC Camera (046d:0825)", LooksLikeCsi: false),
            ],
            devices);
        Assert.True(CameraDevices.CsiCameraPresent(devices, Path.Combine(root, "no-device-tree")));
    }

    [Fact]
    public void NoNodesGiveAnEmptyList()
    {
        Assert.Empty(CameraDevices.List(root, root));
        Assert.Empty(CameraDevices.List(Path.Combine(root, "missing"), root));
        Assert.False(CameraDevices.CsiCameraPresent([], root));
    }

    [Fact]
    public void DeviceTreeCameraModulesCountAsCsiPresent()
    {
        Directory.CreateDirectory(Path.Combine(root, "tegra-camera-platform", "modules", "module0"));

        Assert.True(CameraDevices.CsiCameraPresent([], root));
    }

    [Fact]
    public void ListingThisMachineDoesNotThrow()
    {
        var devices = CameraDevices.List();

        Assert.All(devices, d => Assert.StartsWith("/dev/video", d.Path, StringComparison.Ordinal));
    }
}
