using System.Device.I2c;
using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Eda.Simulation;

namespace EdgeEmotion.Sensors.Tests.Eda;

public sealed class I2cProbeTests
{
    [Fact]
    public void No_i2c_buses_give_an_empty_list()
    {
        var empty = Directory.CreateTempSubdirectory("eda-dev-");
        try
        {
            Assert.Empty(I2cProbe.List(empty.FullName, (_, _) => throw new InvalidOperationException("nothing to open")));
            Assert.Empty(I2cProbe.List(Path.Combine(empty.FullName, "missing"), (_, _) => throw new InvalidOperationException("nothing to open")));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_ADS1115_answering_at_0x48_is_found_by_its_reset_config()
    {
        var dev = Directory.CreateTempSubdirectory("eda-dev-");
        try
        {
            File.WriteAllText(Path.Combine(dev.FullName, "i2c-7"), "");
            File.WriteAllText(Path.Combine(dev.FullName, "i2c-1"), "");
            I2cDevice Open(int bus, int address) => bus == 7 && address == 0x48
                ? new Ads1115Simulator(busId: bus, address: address)
                : new Ads1115Simulator(busId: bus, address: address) { Fault = SimulatedFault.Nack };

            var buses = I2cProbe.List(dev.FullName, Open);

            Assert.Equal([1, 7], buses.Select(b => b.BusId));
            Assert.All(buses[0].Addresses, a => Assert.False(a.Answered));
            var found = buses[1].Addresses.Single(a => a.Answered);
            Assert.Equal(0x48, found.Address);
            Assert.Equal((ushort)0x8583, found.Config);
            Assert.True(found.LooksLikeAds1115);
            Assert.Contains("No such device or address", buses[1].Addresses[1].Error, StringComparison.Ordinal);
        }
        finally
        {
            dev.Delete(recursive: true);
        }
    }

    [Fact]
    public void This_machine_lists_what_it_has_without_throwing()
    {
        var buses = I2cProbe.List();

        Assert.Equal(Directory.Exists("/dev") ? Directory.GetFileSystemEntries("/dev", "i2c-*").Length : 0, buses.Count);
    }
}
