namespace EdgeEmotion.Sensors.Camera;

/// <summary>A video device node as <c>edgeemo devices</c> lists it.</summary>
/// <param name="Path">The node, e.g. /dev/video0.</param>
/// <param name="Name">The driver's name from /sys/class/video4linux/videoN/name; empty when unreadable.</param>
/// <param name="LooksLikeCsi">True for Jetson CSI capture nodes ("vi-output, imx219 9-0010", tegra camera drivers): open those with Kind Csi, not V4l2.</param>
public sealed record CameraDevice(string Path, string Name, bool LooksLikeCsi);

/// <summary>
/// Finds cameras on this machine: /dev/video* nodes with their driver names, and whether a Jetson
/// CSI camera looks present. Reads only the file system; the roots are parameters for tests.
/// </summary>
public static class CameraDevices
{
    /// <summary>The /dev/video* nodes in numeric order; empty when there are none.</summary>
    public static IReadOnlyList<CameraDevice> List(string devRoot = "/dev", string sysRoot = "/sys/class/video4linux")
    {
        if (!Directory.Exists(devRoot))
        {
            return [];
        }

        var devices = new List<(int Index, CameraDevice Device)>();
        foreach (var path in Directory.EnumerateFileSystemEntries(devRoot, "video*"))
        {
            var node = System.IO.Path.GetFileName(path);
            if (!int.TryParse(node.AsSpan("video".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                continue;
            }

            var name = ReadName(System.IO.Path.Combine(sysRoot, node, "name"));
            devices.Add((index, new CameraDevice(path, name, IsCsiName(name))));
        }

        return [.. devices.OrderBy(d => d.Index).Select(d => d.Device)];
    }

    /// <summary>
    /// True when a CSI camera looks present: a video node with a tegra/vi-output name, or camera
    /// nodes in the device tree (tegra-camera-platform with modules), as JetPack sets them up.
    /// </summary>
    public static bool CsiCameraPresent(
        IReadOnlyList<CameraDevice>? devices = null, string deviceTreeRoot = "/proc/device-tree")
    {
        devices ??= List();
        if (devices.Any(d => d.LooksLikeCsi))
        {
            return true;
        }

        var platform = System.IO.Path.Combine(deviceTreeRoot, "tegra-camera-platform", "modules");
        return Directory.Exists(platform) && Directory.EnumerateDirectories(platform, "module*").Any();
    }

    /// <summary>Jetson's VI driver names CSI nodes "vi-output, &lt;sensor&gt; &lt;bus-addr&gt;".</summary>
    public static bool IsCsiName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith("vi-output", StringComparison.OrdinalIgnoreCase)
            || name.Contains("tegra", StringComparison.OrdinalIgnoreCase);
    }

    private static string ReadName(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllText(file).Trim() : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
