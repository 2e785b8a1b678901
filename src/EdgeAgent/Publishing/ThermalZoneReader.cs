using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// Temperatures from the kernel's thermal zones (<c>/sys/class/thermal/thermal_zone*/{type,temp}</c>,
/// millidegrees Celsius): CPU-therm, GPU-therm, SOC... on a Jetson; nothing on a machine without them.
/// </summary>
public sealed class ThermalZoneReader
{
    public const string DefaultRoot = "/sys/class/thermal";

    private readonly string root;

    public ThermalZoneReader(string root = DefaultRoot)
    {
        this.root = root;
    }

    /// <summary>Degrees Celsius per zone type; zones that cannot be read right now (a sensor that is off) are left out.</summary>
    public IReadOnlyDictionary<string, double> Read()
    {
        var temperatures = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return temperatures;
        }

        foreach (var zone in Directory.EnumerateDirectories(root, "thermal_zone*").Order(StringComparer.Ordinal))
        {
            if (TryReadZone(zone) is not (var type, var celsius))
            {
                continue;
            }

            // Two zones may share a type (x86 "acpitz"); the zone's folder name keeps them apart.
            var name = temperatures.ContainsKey(type) ? $"{type}.{Path.GetFileName(zone)}" : type;
            temperatures[name] = celsius;
        }

        return temperatures;
    }

    private static (string Type, double Celsius)? TryReadZone(string zone)
    {
        try
        {
            var type = File.ReadAllText(Path.Combine(zone, "type")).Trim();
            var temp = File.ReadAllText(Path.Combine(zone, "temp")).Trim();
            if (type.Length == 0 || !long.TryParse(temp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millidegrees))
            {
                return null;
            }

            return (type, millidegrees / 1000.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Some zones fail reads (EIO, ENODATA) while their sensor is powered down.
            return null;
        }
    }
}
