using System.Buffers.Binary;
using System.Device.I2c;
using System.Globalization;

namespace EdgeEmotion.Sensors.Eda;

/// <summary>One I2C bus and, per ADS1115 address, whether something answered and what its config read.</summary>
public sealed record I2cBusProbe(int BusId, string DevicePath, IReadOnlyList<Ads1115Probe> Addresses);

/// <summary>
/// An address probed on a bus. <see cref="Config"/> is the config register if the device
/// answered; <see cref="LooksLikeAds1115"/> when it reads the reset value 0x8583 or a word
/// with the comparator disabled as this driver writes it.
/// </summary>
public sealed record Ads1115Probe(int Address, bool Answered, ushort? Config, string? Error)
{
    public bool LooksLikeAds1115 => Config is { } c && (c == Ads1115Registers.ConfigResetValue || (c & 0x1F) == Ads1115Registers.ComparatorDisabled);
}

/// <summary>For <c>edgeemo devices</c>: the /dev/i2c-* buses and whether an ADS1115 answers on them.</summary>
public static class I2cProbe
{
    public static readonly IReadOnlyList<int> Ads1115Addresses = [0x48, 0x49, 0x4A, 0x4B];

    /// <summary>Every /dev/i2c-N bus with the ADS1115 addresses probed; empty when there is no I2C bus.</summary>
    public static IReadOnlyList<I2cBusProbe> List() => List("/dev", (bus, address) => I2cDevice.Create(new I2cConnectionSettings(bus, address)));

    /// <summary>As <see cref="List()"/>, with the device folder and the opener given (tests).</summary>
    public static IReadOnlyList<I2cBusProbe> List(string deviceDirectory, Func<int, int, I2cDevice> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (!Directory.Exists(deviceDirectory))
        {
            return [];
        }

        var buses = new List<I2cBusProbe>();
        foreach (var path in Directory.EnumerateFileSystemEntries(deviceDirectory, "i2c-*"))
        {
            if (int.TryParse(Path.GetFileName(path)["i2c-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var bus))
            {
                buses.Add(new I2cBusProbe(bus, path, Ads1115Addresses.Select(a => Probe(open, bus, a)).ToList()));
            }
        }

        return buses.OrderBy(b => b.BusId).ToList();
    }

    private static Ads1115Probe Probe(Func<int, int, I2cDevice> open, int bus, int address)
    {
        try
        {
            using var device = open(bus, address);
            Span<byte> value = stackalloc byte[2];
            device.WriteRead([Ads1115Registers.Config], value);
            return new Ads1115Probe(address, true, BinaryPrimitives.ReadUInt16BigEndian(value), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Ads1115Probe(address, false, null, e.Message);
        }
    }
}
