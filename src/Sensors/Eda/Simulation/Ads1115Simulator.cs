using System.Buffers.Binary;
using System.Device.I2c;

namespace EdgeEmotion.Sensors.Eda.Simulation;

/// <summary>
/// An ADS1115 at register level behind the <see cref="I2cDevice"/> API: pointer register,
/// config register (OS, MUX, PGA, MODE, DR), conversion register computed from the front ends
/// attached to AIN0-AIN3 and clipped to the gain's full scale. A single-shot conversion reports
/// busy (OS=0) until its conversion time (1/DR × <see cref="OscillatorFactor"/>) has passed on
/// the clock, and at most for <see cref="PollsUntilReady"/> config reads. In continuous
/// mode each conversion-register read is a fresh conversion, except the first after a mux
/// change, which still holds the old input's result (as the chip may). Faults are injected
/// for a window of time on <see cref="TimeProvider"/> or set outright with <see cref="Fault"/>.
/// Dispose does nothing, so a device factory can hand out the same simulator again.
/// </summary>
public sealed class Ads1115Simulator : I2cDevice
{
    private readonly Lock gate = new();
    private readonly IAnalogFrontEnd?[] inputs = new IAnalogFrontEnd?[4];
    private readonly List<(SimulatedFault Kind, TimeSpan From, TimeSpan Until)> faultWindows = [];
    private readonly List<ushort> configWrites = [];
    private readonly TimeProvider clock;
    private readonly long created;
    private byte pointer;
    private ushort config = Ads1115Registers.ConfigResetValue;
    private ushort conversion;
    private ushort? staleConversion;
    private int pollsLeft;
    private long conversionStarted;

    public Ads1115Simulator(IAnalogFrontEnd? ain0 = null, int busId = 1, int address = Ads1115Registers.DefaultAddress, TimeProvider? timeProvider = null)
    {
        ConnectionSettings = new I2cConnectionSettings(busId, address);
        clock = timeProvider ?? TimeProvider.System;
        created = clock.GetTimestamp();
        inputs[0] = ain0;
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>The most config reads that report busy after a single-shot start (0 = ready at once).</summary>
    public int PollsUntilReady { get; set; } = 1;

    /// <summary>The internal oscillator's error: conversions take (1/DR) × this; the chip's spec is 0.9-1.1.</summary>
    public double OscillatorFactor { get; set; } = 1.0;

    /// <summary>A fault active until cleared (faults in injected windows apply as well).</summary>
    public SimulatedFault Fault { get; set; }

    /// <summary>Every config word written, in order (OS bit included).</summary>
    public IReadOnlyList<ushort> ConfigWrites
    {
        get
        {
            lock (gate)
            {
                return [.. configWrites];
            }
        }
    }

    /// <summary>The config register now (OS reads 1 when idle).</summary>
    public ushort Config
    {
        get
        {
            lock (gate)
            {
                return ConfigAsRead();
            }
        }
    }

    /// <summary>Config reads the driver has made (status polls included).</summary>
    public int ConfigReads { get; private set; }

    /// <summary>Wires <paramref name="frontEnd"/> to AIN<paramref name="channel"/> (unwired inputs read 0 V).</summary>
    public void Attach(int channel, IAnalogFrontEnd? frontEnd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channel, 3);
        lock (gate)
        {
            inputs[channel] = frontEnd;
        }
    }

    /// <summary>Makes <paramref name="kind"/> active from <paramref name="from"/> until <paramref name="until"/> after creation.</summary>
    public void InjectFault(SimulatedFault kind, TimeSpan from, TimeSpan until)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, until);
        lock (gate)
        {
            faultWindows.Add((kind, from, until));
        }
    }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        lock (gate)
        {
            CheckBus();
            Span<byte> value = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(value, ReadPointed());
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = value[i % 2];
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (gate)
        {
            CheckBus();
            if (buffer.Length == 0)
            {
                return;
            }

            pointer = (byte)(buffer[0] & 0x3);
            if (buffer.Length >= 3)
            {
                WriteRegister(BinaryPrimitives.ReadUInt16BigEndian(buffer[1..3]));
            }
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    /// <summary>Nothing to release; the simulator stays usable so a factory may return it again.</summary>
    protected override void Dispose(bool disposing) => base.Dispose(disposing);

    private SimulatedFault ActiveFault()
    {
        if (Fault != SimulatedFault.None)
        {
            return Fault;
        }

        var now = clock.GetElapsedTime(created);
        foreach (var (kind, from, until) in faultWindows)
        {
            if (now >= from && now < until)
            {
                return kind;
            }
        }

        return SimulatedFault.None;
    }

    private void CheckBus()
    {
        switch (ActiveFault())
        {
            case SimulatedFault.Nack:
                throw new IOException($"Error 6 performing I2C data transfer (No such device or address): no ACK from 0x{ConnectionSettings.DeviceAddress:X2}");
            case SimulatedFault.BusTimeout:
                throw new IOException("Error 110 performing I2C data transfer (Connection timed out)");
            default:
                break;
        }
    }

    private void WriteRegister(ushort value)
    {
        if (pointer != Ads1115Registers.Config)
        {
            return; // thresholds: stored by the chip, unused here
        }

        configWrites.Add(value);
        var previousInput = Ads1115Registers.InputOf(config);
        config = (ushort)(value & ~Ads1115Registers.OperationalStatus);
        if (Ads1115Registers.ModeOf(value) == DeviceMode.SingleShot)
        {
            if ((value & Ads1115Registers.OperationalStatus) != 0)
            {
                conversion = Convert();
                pollsLeft = PollsUntilReady;
                conversionStarted = clock.GetTimestamp();
            }
        }
        else if (previousInput != Ads1115Registers.InputOf(value))
        {
            staleConversion = conversion;
        }
    }

    private ushort ReadPointed()
    {
        switch (pointer)
        {
            case Ads1115Registers.Config:
                ConfigReads++;
                var value = ConfigAsRead();
                if ((value & Ads1115Registers.OperationalStatus) == 0)
                {
                    pollsLeft--;
                }

                return value;
            case Ads1115Registers.Conversion:
                if (Ads1115Registers.ModeOf(config) == DeviceMode.Continuous)
                {
                    if (staleConversion is { } stale)
                    {
                        staleConversion = null;
                        return stale;
                    }

                    conversion = Convert();
                }

                return conversion;
            case Ads1115Registers.LowThreshold:
                return 0x8000;
            default:
                return 0x7FFF;
        }
    }

    private ushort ConfigAsRead()
    {
        var converting = ActiveFault() == SimulatedFault.ConversionStuck
            || (pollsLeft > 0 && clock.GetElapsedTime(conversionStarted) < TimeSpan.FromSeconds(OscillatorFactor / Ads1115Registers.SamplesPerSecond(Ads1115Registers.RateOf(config))));
        var busy = Ads1115Registers.ModeOf(config) == DeviceMode.SingleShot && converting;
        return (ushort)(busy ? config : config | Ads1115Registers.OperationalStatus);
    }

    private ushort Convert()
    {
        var input = Ads1115Registers.InputOf(config);
        var (positive, negative) = input switch
        {
            InputMultiplexer.Ain0Ain1 => (0, 1),
            InputMultiplexer.Ain0Ain3 => (0, 3),
            InputMultiplexer.Ain1Ain3 => (1, 3),
            InputMultiplexer.Ain2Ain3 => (2, 3),
            _ => ((int)input - (int)InputMultiplexer.Ain0Gnd, -1),
        };
        var volts = PinVolts(positive) - (negative < 0 ? 0 : PinVolts(negative));
        var counts = Math.Round(volts / Ads1115Registers.FullScaleVolts(Ads1115Registers.GainOf(config)) * 32768.0);
        return (ushort)(short)Math.Clamp(counts, short.MinValue, short.MaxValue);
    }

    private double PinVolts(int channel) =>
        ActiveFault() == SimulatedFault.ElectrodeOff ? 0 : inputs[channel]?.SampleVolts() ?? 0;
}
