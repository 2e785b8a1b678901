namespace EdgeEmotion.Sensors.Eda;

/// <summary>ADS1115 register map and config-word layout (datasheet 9.6).</summary>
public static class Ads1115Registers
{
    public const byte Conversion = 0x00;
    public const byte Config = 0x01;
    public const byte LowThreshold = 0x02;
    public const byte HighThreshold = 0x03;

    /// <summary>Config after power-up: idle, AIN0-AIN1, ±2.048 V, single-shot, 128 SPS, comparator off.</summary>
    public const ushort ConfigResetValue = 0x8583;

    /// <summary>OS: write 1 to start a single-shot conversion; reads 1 while idle (result ready).</summary>
    public const ushort OperationalStatus = 0x8000;

    /// <summary>Comparator disabled (COMP_QUE = 11), other comparator bits at their defaults.</summary>
    public const ushort ComparatorDisabled = 0x0003;

    public const int DefaultAddress = 0x48;

    public static ushort Compose(InputMultiplexer input, ProgrammableGain gain, DeviceMode mode, DataRate rate, bool startSingleShot) =>
        (ushort)((startSingleShot ? OperationalStatus : 0)
            | ((int)input << 12)
            | ((int)gain << 9)
            | ((int)mode << 8)
            | ((int)rate << 5)
            | ComparatorDisabled);

    public static InputMultiplexer InputOf(ushort config) => (InputMultiplexer)((config >> 12) & 0x7);

    /// <summary>The gain a config word selects (codes 5-7 read as ±0.256 V).</summary>
    public static ProgrammableGain GainOf(ushort config) => (ProgrammableGain)Math.Min((config >> 9) & 0x7, (int)ProgrammableGain.FullScale256mV);

    public static DeviceMode ModeOf(ushort config) => (DeviceMode)((config >> 8) & 0x1);

    public static DataRate RateOf(ushort config) => (DataRate)((config >> 5) & 0x7);

    /// <summary>Full-scale range in volts: the input that reads 32768 counts.</summary>
    public static double FullScaleVolts(ProgrammableGain gain) => gain switch
    {
        ProgrammableGain.FullScale6144mV => 6.144,
        ProgrammableGain.FullScale4096mV => 4.096,
        ProgrammableGain.FullScale2048mV => 2.048,
        ProgrammableGain.FullScale1024mV => 1.024,
        ProgrammableGain.FullScale512mV => 0.512,
        ProgrammableGain.FullScale256mV => 0.256,
        _ => throw new ArgumentOutOfRangeException(nameof(gain), gain, "Unknown ADS1115 gain."),
    };

    public static int SamplesPerSecond(DataRate rate) => rate switch
    {
        DataRate.Sps8 => 8,
        DataRate.Sps16 => 16,
        DataRate.Sps32 => 32,
        DataRate.Sps64 => 64,
        DataRate.Sps128 => 128,
        DataRate.Sps250 => 250,
        DataRate.Sps475 => 475,
        DataRate.Sps860 => 860,
        _ => throw new ArgumentOutOfRangeException(nameof(rate), rate, "Unknown ADS1115 data rate."),
    };

    /// <summary>The gain whose full scale is <paramref name="volts"/> (4.096 -> ±4.096 V); false if none.</summary>
    public static bool TryGainOf(double volts, out ProgrammableGain gain)
    {
        foreach (var candidate in Enum.GetValues<ProgrammableGain>())
        {
            if (Math.Abs(FullScaleVolts(candidate) - volts) < 1e-6)
            {
                gain = candidate;
                return true;
            }
        }

        gain = default;
        return false;
    }

    /// <summary>The data rate of <paramref name="samplesPerSecond"/> (128 -> Sps128); false if none.</summary>
    public static bool TryRateOf(int samplesPerSecond, out DataRate rate)
    {
        foreach (var candidate in Enum.GetValues<DataRate>())
        {
            if (SamplesPerSecond(candidate) == samplesPerSecond)
            {
                rate = candidate;
                return true;
            }
        }

        rate = default;
        return false;
    }
}
