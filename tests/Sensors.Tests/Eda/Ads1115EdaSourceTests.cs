using EdgeEmotion.Tests;
using System.Device.I2c;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Eda.Simulation;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Sensors.Tests.Eda;

public sealed class Ads1115EdaSourceTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("eda-src-").FullName;
    private readonly SimulatedEdaRig rig = new();
    private readonly ListLogger<Ads1115EdaSource> logger = new();
    private Ads1115EdaOptions options = new();

    public async Task InitializeAsync()
    {
        var report = await rig.CalibrateAsync(100_000, 1_000_000, 10_000_000);
        var path = Path.Combine(folder, "eda.json");
        report.Calibration!.Save(path);
        options = new Ads1115EdaOptions
        {
            CalibrationFile = path,
            DataRate = DataRate.Sps860,
            RetryMinDelay = TimeSpan.FromMilliseconds(100),
            RetryMaxDelay = TimeSpan.FromMilliseconds(400),
        };
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Samples_are_stamped_index_over_rate_and_calibrated_to_microsiemens()
    {
        rig.FrontEnd.AttachSkin(5.0);

        var samples = await ReadUntilAsync(Source(), TimeSpan.FromSeconds(2));

        Assert.Equal(64, samples.Count);
        Assert.Equal(Enumerable.Range(0, 64).Select(i => TimeSpan.FromTicks((long)Math.Round(i * (double)TimeSpan.TicksPerSecond / 32))), samples.Select(s => s.Timestamp));
        Assert.InRange(samples.Average(s => s.Microsiemens), 4.9, 5.1);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData(SimulatedFault.Nack, "No such device or address")]
    [InlineData(SimulatedFault.BusTimeout, "Connection timed out")]
    [InlineData(SimulatedFault.ConversionStuck, "wait for conversion failed: OS bit still busy")]
    public async Task An_I2C_fault_mid_stream_leaves_a_gap_then_sampling_recovers_without_exceptions(SimulatedFault fault, string cause)
    {
        rig.FrontEnd.AttachSkin(5.0);
        var faultFrom = rig.Clock.Elapsed + TimeSpan.FromSeconds(1);
        var faultUntil = faultFrom + TimeSpan.FromSeconds(1);
        rig.Simulator.InjectFault(fault, faultFrom, faultUntil);

        var samples = await ReadUntilAsync(Source(), TimeSpan.FromSeconds(4));

        var times = samples.Select(s => s.Timestamp).ToList();
        Assert.Equal(times.Order(), times);
        Assert.DoesNotContain(times, t => t >= TimeSpan.FromSeconds(1.0) && t < TimeSpan.FromSeconds(2.0));
        var resumed = times.First(t => t >= TimeSpan.FromSeconds(2.0));
        Assert.InRange(resumed, TimeSpan.FromSeconds(2.0), TimeSpan.FromSeconds(2.0) + options.RetryMaxDelay + TimeSpan.FromSeconds(0.1));
        Assert.All(times, t => Assert.Equal(0, (t.Ticks * 32) % TimeSpan.TicksPerSecond)); // still on the i/32 grid
        Assert.All(samples, s => Assert.InRange(s.Microsiemens, 4.8, 5.2));
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w => Assert.Contains("I2C failure, no EDA samples until it answers", w, StringComparison.Ordinal));
        Assert.Contains("bus 1 address 0x48", warnings[0], StringComparison.Ordinal);
        Assert.Contains(cause, warnings[0], StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Message.Contains("answering again after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_bus_is_retried_with_backoff_until_the_device_appears()
    {
        var opens = 0;
        I2cDevice Factory()
        {
            if (++opens <= 3)
            {
                throw new IOException("Error 2. Can not open I2C device file '/dev/i2c-1'.");
            }

            return rig.Simulator;
        }

        rig.FrontEnd.AttachSkin(5.0);
        var samples = await ReadUntilAsync(Source(Factory), TimeSpan.FromSeconds(2));

        // Three failures wait 100 + 200 + 400 ms: nothing before 0.7 s, then every 1/32 s.
        Assert.InRange(samples[0].Timestamp, TimeSpan.FromSeconds(0.7), TimeSpan.FromSeconds(0.75));
        var delays = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(3, delays.Count);
        Assert.Contains("retrying in 100 ms: Error 2. Can not open I2C device file '/dev/i2c-1'.", delays[0], StringComparison.Ordinal);
        Assert.Contains("retrying in 200 ms", delays[1], StringComparison.Ordinal);
        Assert.Contains("retrying in 400 ms", delays[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Electrode_off_reads_about_zero_and_is_logged_once()
    {
        rig.FrontEnd.AttachSkin(5.0);
        var from = rig.Clock.Elapsed + TimeSpan.FromSeconds(0.5);
        rig.Simulator.InjectFault(SimulatedFault.ElectrodeOff, from, from + TimeSpan.FromSeconds(0.5));

        var samples = await ReadUntilAsync(Source(), TimeSpan.FromSeconds(1.5));

        Assert.Equal(48, samples.Count); // nothing missing: off is a value, not a gap
        Assert.All(samples.Where(s => s.Timestamp > TimeSpan.FromSeconds(0.55) && s.Timestamp < TimeSpan.FromSeconds(0.95)), s => Assert.InRange(s.Microsiemens, 0, Ads1115EdaSource.ElectrodeOffMicrosiemens));
        Assert.Single(logger.Entries, e => e.Message.Contains("electrode off", StringComparison.Ordinal));
        Assert.Single(logger.Entries, e => e.Message.Contains("back in range", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reading_at_the_rail_comes_through_as_saturated_and_is_logged()
    {
        rig.FrontEnd.LoadOhms = 1_000; // 3.25 V: past ±2.048 V
        var narrow = options with { Gain = ProgrammableGain.FullScale2048mV };

        var samples = await ReadUntilAsync(Source(options: narrow), TimeSpan.FromSeconds(0.5));

        Assert.All(samples, s => Assert.Equal(EdaCalibration.SaturatedMicrosiemens, s.Microsiemens));
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("saturated, reading at the rail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_calibration_made_for_another_input_or_gain_is_warned_about()
    {
        rig.FrontEnd.AttachSkin(5.0);

        await ReadUntilAsync(Source(options: options with { Gain = ProgrammableGain.FullScale6144mV }), TimeSpan.FromSeconds(0.1));

        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("calibrated for Ain0Gnd at FullScale4096mV but configured for Ain0Gnd at FullScale6144mV", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Address", 0x20)]
    [InlineData("SampleRate", 0.0)]
    [InlineData("RetryMaxDelay", 0.05)]
    public void Options_out_of_range_name_the_key(string key, double value)
    {
        var bad = key switch
        {
            "Address" => options with { Address = (int)value },
            "SampleRate" => options with { SampleRate = value },
            _ => options with { RetryMaxDelay = TimeSpan.FromSeconds(value) },
        };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Source(options: bad));

        Assert.Equal(key, e.ParamName);
    }

    [Fact]
    public void A_data_rate_slower_than_the_sample_rate_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Source(options: options with { DataRate = DataRate.Sps16 }));

        Assert.Equal("DataRate", e.ParamName);
    }

    [Fact]
    public void A_missing_calibration_file_is_a_clear_error()
    {
        var e = Assert.Throws<EdaCalibrationException>(() => Source(options: options with { CalibrationFile = Path.Combine(folder, "none.json") }));

        Assert.Contains("run `edgeemo calibrate-eda`", e.Message, StringComparison.Ordinal);
    }

    private Ads1115EdaSource Source(Func<I2cDevice>? factory = null, Ads1115EdaOptions? options = null) =>
        new(options ?? this.options, factory ?? (() => rig.Simulator), logger, rig.Clock);

    private static async Task<List<EdaSample>> ReadUntilAsync(Ads1115EdaSource source, TimeSpan until)
    {
        var samples = new List<EdaSample>();
        await using (source)
        {
            await foreach (var sample in source.ReadAsync(CancellationToken.None))
            {
                if (sample.Timestamp >= until)
                {
                    break;
                }

                samples.Add(sample);
            }
        }

        return samples;
    }
}
