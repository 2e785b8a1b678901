using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Eda.Simulation;

namespace EdgeEmotion.Sensors.Tests.Eda;

public sealed class Ads1115Tests
{
    [Fact]
    public void Single_shot_writes_OS_mux_gain_mode_rate_and_comparator_off()
    {
        var sim = new Ads1115Simulator(new ConstantVoltage(1.0), timeProvider: new VirtualTimeProvider());
        using var adc = new Ads1115(sim, InputMultiplexer.Ain0Gnd, ProgrammableGain.FullScale4096mV, DataRate.Sps128, DeviceMode.SingleShot, new VirtualTimeProvider());

        var raw = adc.ReadRaw();

        // OS=1 | MUX=100 | PGA=001 | MODE=1 | DR=100 | COMP_QUE=11
        Assert.Equal([(ushort)0b1_100_001_1_100_00011], sim.ConfigWrites);
        Assert.Equal(0xC383, sim.ConfigWrites[0]);
        Assert.Equal(8000, raw); // 1.0 V / (4.096 V / 32768)
        Assert.Equal(1.0, adc.ReadVolts(), 6);
    }

    [Fact]
    public void Single_shot_polls_OS_until_a_slow_conversion_is_done()
    {
        // 8 SPS with the oscillator 10 % slow: 137.5 ms. The driver waits 90 % of 125 ms, then polls every 1/8 period.
        var clock = new VirtualTimeProvider();
        var sim = new Ads1115Simulator(new ConstantVoltage(0.5), timeProvider: clock) { PollsUntilReady = int.MaxValue, OscillatorFactor = 1.1 };
        using var adc = new Ads1115(sim, gain: ProgrammableGain.FullScale2048mV, dataRate: DataRate.Sps8, timeProvider: clock);

        var raw = adc.ReadRaw();

        Assert.Equal(3, sim.ConfigReads); // busy at 113 and 129 ms, done at 145 ms
        Assert.Equal(8000, raw);
        Assert.Equal(TimeSpan.FromMilliseconds(145), clock.Elapsed);
    }

    [Fact]
    public void Single_shot_at_860_SPS_waits_in_whole_milliseconds_never_a_busy_loop()
    {
        var clock = new VirtualTimeProvider();
        var sim = new Ads1115Simulator(new ConstantVoltage(0.5), timeProvider: clock) { PollsUntilReady = int.MaxValue, OscillatorFactor = 1.1 };
        using var adc = new Ads1115(sim, gain: ProgrammableGain.FullScale2048mV, dataRate: DataRate.Sps860, timeProvider: clock);

        Assert.Equal(8000, adc.ReadRaw());
        Assert.Equal(1, sim.ConfigReads); // first poll after 2 ms (0.9 × 1.16 ms rounded up): done
        Assert.Equal(TimeSpan.FromMilliseconds(2), clock.Elapsed);
    }

    [Fact]
    public void A_conversion_that_never_finishes_times_out_after_the_data_rate_period_plus_10_percent_and_margin()
    {
        var clock = new VirtualTimeProvider();
        var sim = new Ads1115Simulator(new ConstantVoltage(0.5), busId: 7, address: 0x49, timeProvider: clock) { Fault = SimulatedFault.ConversionStuck };
        using var adc = new Ads1115(sim, dataRate: DataRate.Sps8, timeProvider: clock);

        var e = Assert.Throws<Ads1115Exception>(() => adc.ReadRaw());

        Assert.Equal(TimeSpan.FromSeconds(1.1 / 8) + Ads1115.ConversionTimeoutMargin, adc.ConversionTimeout);
        Assert.InRange(clock.Elapsed, adc.ConversionTimeout, adc.ConversionTimeout + TimeSpan.FromMilliseconds(17)); // one poll interval (1/8 period) late at most
        Assert.Contains("bus 7 address 0x49", e.Message, StringComparison.Ordinal);
        Assert.Equal("wait for conversion", e.Operation);
    }

    [Theory]
    [InlineData(SimulatedFault.Nack, "No such device or address")]
    [InlineData(SimulatedFault.BusTimeout, "Connection timed out")]
    public void I2c_errors_come_out_as_Ads1115Exception_naming_bus_address_and_operation(SimulatedFault fault, string cause)
    {
        var sim = new Ads1115Simulator(new ConstantVoltage(0.5), busId: 1, address: 0x48) { Fault = fault };
        using var adc = new Ads1115(sim, timeProvider: new VirtualTimeProvider());

        var e = Assert.Throws<Ads1115Exception>(() => adc.ReadRaw());

        Assert.StartsWith("ADS1115 on I2C bus 1 address 0x48: start single-shot conversion failed:", e.Message, StringComparison.Ordinal);
        Assert.Contains(cause, e.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(e.InnerException);
    }

    [Fact]
    public void Differential_inputs_read_negative_in_twos_complement()
    {
        var sim = new Ads1115Simulator(new ConstantVoltage(0.25));
        sim.Attach(1, new ConstantVoltage(1.25));
        using var adc = new Ads1115(sim, InputMultiplexer.Ain0Ain1, ProgrammableGain.FullScale2048mV, timeProvider: new VirtualTimeProvider());

        var raw = adc.ReadRaw();

        Assert.Equal(-16000, raw); // -1.0 V at 62.5 uV per count
        Assert.Equal(-1.0, adc.ToVolts(raw), 6);
    }

    [Theory]
    [InlineData(3.0, ProgrammableGain.FullScale2048mV, short.MaxValue)]
    [InlineData(-3.0, ProgrammableGain.FullScale2048mV, short.MinValue)]
    [InlineData(0.3, ProgrammableGain.FullScale256mV, short.MaxValue)]
    [InlineData(0.3, ProgrammableGain.FullScale512mV, 19200)]
    public void The_gain_clips_to_its_full_scale(double volts, ProgrammableGain gain, short expected)
    {
        var sim = new Ads1115Simulator(new ConstantVoltage(volts));
        using var adc = new Ads1115(sim, InputMultiplexer.Ain0Gnd, gain, timeProvider: new VirtualTimeProvider());

        var raw = adc.ReadRaw();

        Assert.Equal(expected, raw);
        Assert.Equal(expected is short.MaxValue or short.MinValue, Ads1115.IsAtRail(raw));
    }

    [Fact]
    public void Continuous_mode_configures_once_and_discards_the_first_result_after_a_mux_change()
    {
        var clock = new VirtualTimeProvider();
        var sim = new Ads1115Simulator(new ConstantVoltage(1.0), timeProvider: clock);
        sim.Attach(2, new ConstantVoltage(2.0));
        using var adc = new Ads1115(sim, InputMultiplexer.Ain0Gnd, ProgrammableGain.FullScale4096mV, DataRate.Sps860, DeviceMode.Continuous, clock);

        var first = Enumerable.Range(0, 5).Select(_ => adc.ReadRaw()).ToList();
        adc.Input = InputMultiplexer.Ain2Gnd;
        var afterSwitch = adc.ReadRaw();

        Assert.All(first, raw => Assert.Equal(8000, raw));
        Assert.Equal(16000, afterSwitch); // the stale AIN0 result was read and dropped
        var writes = sim.ConfigWrites;
        Assert.Equal(2, writes.Count);
        Assert.All(writes, w => Assert.Equal(0, w & Ads1115Registers.OperationalStatus));
        Assert.Equal(DeviceMode.Continuous, Ads1115Registers.ModeOf(writes[0]));
        Assert.Equal(InputMultiplexer.Ain2Gnd, Ads1115Registers.InputOf(writes[1]));
    }

    [Fact]
    public void The_simulator_resets_to_0x8583_as_the_chip_does()
    {
        var sim = new Ads1115Simulator();
        using var adc = new Ads1115(sim, ownsDevice: false);

        Assert.Equal(Ads1115Registers.ConfigResetValue, adc.ReadConfig());
    }
}
