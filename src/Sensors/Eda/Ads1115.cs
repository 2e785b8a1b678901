using System.Buffers.Binary;
using System.Device.I2c;

namespace EdgeEmotion.Sensors.Eda;

/// <summary>
/// TI ADS1115 16-bit ADC over I2C, at register level. Single-shot reads write the config with
/// OS=1, poll OS until the conversion is done (timeout: the data rate's period +10 % plus a
/// margin) and read the conversion register. Continuous reads configure once and read the
/// latest result, discarding the first after a configuration (mux) change. Every I2C failure
/// comes out as <see cref="Ads1115Exception"/> naming bus, address and operation.
/// </summary>
public sealed class Ads1115 : IDisposable
{
    /// <summary>Slack on top of the +10 % oscillator tolerance for I2C transfers and scheduling.</summary>
    public static readonly TimeSpan ConversionTimeoutMargin = TimeSpan.FromMilliseconds(5);

    private readonly I2cDevice device;
    private readonly TimeProvider clock;
    private readonly bool ownsDevice;
    private InputMultiplexer input;
    private ProgrammableGain gain;
    private DataRate dataRate;
    private DeviceMode mode;
    private bool continuousConfigured;
    private bool disposed;

    public Ads1115(
        I2cDevice device,
        InputMultiplexer input = InputMultiplexer.Ain0Gnd,
        ProgrammableGain gain = ProgrammableGain.FullScale4096mV,
        DataRate dataRate = DataRate.Sps128,
        DeviceMode mode = DeviceMode.SingleShot,
        TimeProvider? timeProvider = null,
        bool ownsDevice = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        this.device = device;
        clock = timeProvider ?? TimeProvider.System;
        this.ownsDevice = ownsDevice;
        Input = input;
        Gain = gain;
        DataRate = dataRate;
        Mode = mode;
    }

    public int BusId => device.ConnectionSettings.BusId;

    public int Address => device.ConnectionSettings.DeviceAddress;

    public InputMultiplexer Input
    {
        get => input;
        set => Set(ref input, value);
    }

    public ProgrammableGain Gain
    {
        get => gain;
        set => Set(ref gain, value);
    }

    public DataRate DataRate
    {
        get => dataRate;
        set => Set(ref dataRate, value);
    }

    public DeviceMode Mode
    {
        get => mode;
        set => Set(ref mode, value);
    }

    /// <summary>Input voltage that reads full scale (32767 counts) at the current gain.</summary>
    public double FullScaleVolts => Ads1115Registers.FullScaleVolts(gain);

    /// <summary>Volts per count: full scale / 32768.</summary>
    public double VoltsPerCount => FullScaleVolts / 32768.0;

    /// <summary>How long a single-shot conversion may take before it counts as failed.</summary>
    public TimeSpan ConversionTimeout =>
        TimeSpan.FromSeconds(1.1 / Ads1115Registers.SamplesPerSecond(dataRate)) + ConversionTimeoutMargin;

    /// <summary>The config word this driver writes (without OS) for the current settings.</summary>
    public ushort ConfigWord => Ads1115Registers.Compose(input, gain, mode, dataRate, startSingleShot: false);

    /// <summary>True when <paramref name="raw"/> sits at either end of the range (input clipped).</summary>
    public static bool IsAtRail(short raw) => raw is short.MaxValue or short.MinValue;

    public short ReadRaw() => ReadRawAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public double ReadVolts() => ToVolts(ReadRaw());

    public async ValueTask<double> ReadVoltsAsync(CancellationToken cancellationToken) =>
        ToVolts(await ReadRawAsync(cancellationToken).ConfigureAwait(false));

    public double ToVolts(short raw) => raw * VoltsPerCount;

    /// <summary>One conversion result in counts (two's complement, ±32768 = ± full scale).</summary>
    public async ValueTask<short> ReadRawAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (mode == DeviceMode.SingleShot)
        {
            WriteRegister(Ads1115Registers.Config, Ads1115Registers.Compose(input, gain, mode, dataRate, startSingleShot: true), "start single-shot conversion");
            await WaitForConversionAsync(cancellationToken).ConfigureAwait(false);
            return (short)ReadRegister(Ads1115Registers.Conversion, "read conversion");
        }

        if (!continuousConfigured)
        {
            WriteRegister(Ads1115Registers.Config, ConfigWord, "configure continuous mode");
            continuousConfigured = true;

            // The first result after a (mux) change may still belong to the old input.
            await Task.Delay(WholeMilliseconds(ConversionTimeout), clock, cancellationToken).ConfigureAwait(false);
            _ = ReadRegister(Ads1115Registers.Conversion, "read conversion (discarded after reconfiguration)");
            await Task.Delay(WholeMilliseconds(ConversionTimeout), clock, cancellationToken).ConfigureAwait(false);
        }

        return (short)ReadRegister(Ads1115Registers.Conversion, "read conversion");
    }

    /// <summary>The config register as the device reports it (0x8583 after reset).</summary>
    public ushort ReadConfig() => ReadRegister(Ads1115Registers.Config, "read config");

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            if (ownsDevice)
            {
                device.Dispose();
            }
        }
    }

    private async ValueTask WaitForConversionAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(1.0 / Ads1115Registers.SamplesPerSecond(dataRate));
        var poll = WholeMilliseconds(period / 8);
        var start = clock.GetTimestamp();

        // The oscillator is within ±10 %: nothing can be ready before 90 % of the period.
        await Task.Delay(WholeMilliseconds(period * 0.9), clock, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            // Poll before judging the deadline, so a late wake-up never fails a finished conversion.
            if ((ReadRegister(Ads1115Registers.Config, "poll conversion status") & Ads1115Registers.OperationalStatus) != 0)
            {
                return;
            }

            if (clock.GetElapsedTime(start) > ConversionTimeout)
            {
                throw new Ads1115Exception(BusId, Address, "wait for conversion",
                    $"OS bit still busy after {ConversionTimeout.TotalMilliseconds:F1} ms at {Ads1115Registers.SamplesPerSecond(dataRate)} SPS");
            }

            await Task.Delay(poll, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    // Timers count whole milliseconds (Task.Delay truncates): round up so no wait is cut short
    // and no poll interval becomes a busy loop.
    private static TimeSpan WholeMilliseconds(TimeSpan wait) => TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait.TotalMilliseconds)));

    private void Set<T>(ref T field, T value)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Unknown {typeof(T).Name}.");
        }

        if (!EqualityComparer<T>.Default.Equals(field, value))
        {
            field = value;
            continuousConfigured = false;
        }
    }

    private void WriteRegister(byte register, ushort value, string operation)
    {
        Span<byte> buffer = stackalloc byte[3];
        buffer[0] = register;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[1..], value);
        try
        {
            device.Write(buffer);
        }
        catch (IOException e)
        {
            throw new Ads1115Exception(BusId, Address, operation, e.Message, e);
        }
    }

    private ushort ReadRegister(byte register, string operation)
    {
        Span<byte> pointer = [register];
        Span<byte> value = stackalloc byte[2];
        try
        {
            device.WriteRead(pointer, value);
        }
        catch (IOException e)
        {
            throw new Ads1115Exception(BusId, Address, operation, e.Message, e);
        }

        return BinaryPrimitives.ReadUInt16BigEndian(value);
    }
}
