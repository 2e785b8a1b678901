namespace EdgeEmotion.Sensors.Eda;

/// <summary>Options for <see cref="Ads1115EdaSource"/> (config section keys are the property names).</summary>
public sealed record Ads1115EdaOptions
{
    /// <summary>Linux I2C bus number: /dev/i2c-N.</summary>
    public int BusId { get; set; } = 1;

    /// <summary>7-bit address: 0x48 (ADDR to GND) ... 0x4B.</summary>
    public int Address { get; set; } = Ads1115Registers.DefaultAddress;

    public InputMultiplexer Input { get; set; } = InputMultiplexer.Ain0Gnd;

    public ProgrammableGain Gain { get; set; } = ProgrammableGain.FullScale4096mV;

    /// <summary>ADC conversion rate; must be at least <see cref="SampleRate"/>.</summary>
    public DataRate DataRate { get; set; } = DataRate.Sps128;

    /// <summary>Readings per second delivered to the pipeline.</summary>
    public double SampleRate { get; set; } = 32;

    /// <summary>The calibration <c>edgeemo calibrate-eda</c> wrote.</summary>
    public string CalibrationFile { get; set; } = EdaCalibration.DefaultPath;

    /// <summary>First wait before retrying after an I2C failure; doubles up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryMinDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first key out of range.</summary>
    public void Validate()
    {
        Check(BusId is >= 0 and <= 255, BusId, nameof(BusId), "in [0, 255]");
        Check(Address is >= 0x48 and <= 0x4B, $"0x{Address:X2}", nameof(Address), "an ADS1115 address, 0x48-0x4B");
        Check(Enum.IsDefined(Input), Input, nameof(Input), "an input multiplexer setting (Ain0Gnd, ...)");
        Check(Enum.IsDefined(Gain), Gain, nameof(Gain), "a gain (FullScale4096mV, ...)");
        Check(Enum.IsDefined(DataRate), DataRate, nameof(DataRate), "a data rate (Sps128, ...)");
        Check(SampleRate is > 0 and <= 860, SampleRate, nameof(SampleRate), "in (0, 860] Hz");
        if (Enum.IsDefined(DataRate))
        {
            Check(Ads1115Registers.SamplesPerSecond(DataRate) >= SampleRate, DataRate, nameof(DataRate), $"at least {nameof(SampleRate)} ({SampleRate} Hz)");
        }

        Check(!string.IsNullOrWhiteSpace(CalibrationFile), CalibrationFile, nameof(CalibrationFile), "a file path");
        Check(RetryMinDelay > TimeSpan.Zero, RetryMinDelay, nameof(RetryMinDelay), "positive");
        Check(RetryMaxDelay >= RetryMinDelay, RetryMaxDelay, nameof(RetryMaxDelay), $"at least {nameof(RetryMinDelay)}");
    }

    private static void Check(bool ok, object? value, string name, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range}.");
        }
    }
}
