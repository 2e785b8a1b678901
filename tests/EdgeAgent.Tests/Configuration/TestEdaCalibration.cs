using EdgeEmotion.Sensors.Eda;

namespace EdgeEmotion.EdgeAgent.Tests.Configuration;

/// <summary>A calibration file that loads, for configs that name an ADS1115 source.</summary>
internal static class TestEdaCalibration
{
    public static void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        new EdaCalibration
        {
            Device = "i2c-7/0x48",
            CreatedUtc = DateTimeOffset.UnixEpoch,
            Input = InputMultiplexer.Ain0Gnd,
            Gain = ProgrammableGain.FullScale4096mV,
            DataRate = DataRate.Sps128,
            OpenCircuitVolts = 0.002,
            SupplyVolts = 3.3,
            ReferenceOhms = 100_000,
            MaxErrorPercent = 0.1,
            Points = [new EdaCalibrationPoint("open", null, 0.002, 0.0003, 32, Saturated: false)],
        }.Save(path);
    }
}
