using System.Device.I2c;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Sensors.Eda;

/// <summary>
/// Skin conductance from an ADS1115 on I2C, converted with the device's
/// <see cref="EdaCalibration"/>. Sample i is stamped i / <see cref="Ads1115EdaOptions.SampleRate"/>
/// on a clock started when reading starts, and read when it is due. An electrode off reads about
/// 0 uS and a clipped input <see cref="EdaCalibration.SaturatedMicrosiemens"/>: both come through
/// (the pipeline judges validity) and are logged when they start and end. I2C failures (bus
/// missing, NACK, timeout, conversion never done) are logged, yield no samples for that time
/// (the pipeline sees the stall) and are retried with exponential backoff, reopening the device;
/// <see cref="ReadAsync"/> never throws for them.
/// </summary>
public sealed class Ads1115EdaSource : ISampleSource<EdaSample>
{
    /// <summary>Below this the electrodes count as off (20 megohm).</summary>
    public const double ElectrodeOffMicrosiemens = 0.05;

    private readonly Ads1115EdaOptions options;
    private readonly Func<I2cDevice> deviceFactory;
    private readonly ILogger logger;
    private readonly TimeProvider clock;

    /// <summary>
    /// <paramref name="deviceFactory"/> opens the bus: on a device
    /// <c>() =&gt; I2cDevice.Create(new I2cConnectionSettings(o.BusId, o.Address))</c>, in tests
    /// and simulation an <see cref="Simulation.Ads1115Simulator"/>. Loads the calibration now:
    /// <see cref="EdaCalibrationException"/> when it is missing or unreadable.
    /// </summary>
    public Ads1115EdaSource(Ads1115EdaOptions options, Func<I2cDevice> deviceFactory, ILogger<Ads1115EdaSource> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(deviceFactory);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        this.options = options;
        this.deviceFactory = deviceFactory;
        this.logger = logger;
        clock = timeProvider;
        Calibration = EdaCalibration.Load(options.CalibrationFile);
        Description = $"ADS1115 EDA i2c-{options.BusId}/0x{options.Address:X2} {options.Input}";
    }

    /// <summary>The real bus: /dev/i2c-BusId at Address.</summary>
    public static Func<I2cDevice> HardwareFactory(Ads1115EdaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return () => I2cDevice.Create(new I2cConnectionSettings(options.BusId, options.Address));
    }

    public string Description { get; }

    public EdaCalibration Calibration { get; }

    public double SampleRate => options.SampleRate;

    public async IAsyncEnumerable<EdaSample> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        logger.Started(Description, options.SampleRate, options.CalibrationFile, Calibration.Device, Calibration.ReferenceOhms, Calibration.SupplyVolts);
        if (Calibration.Input != options.Input || Calibration.Gain != options.Gain)
        {
            logger.CalibrationMismatch(Description, Calibration.Input, Calibration.Gain, options.Input, options.Gain);
        }

        var start = clock.GetTimestamp();
        var backoff = new ExponentialBackoff(options.RetryMinDelay, options.RetryMaxDelay);
        TimeSpan? failingSince = null;
        var condition = Condition.InRange;
        Ads1115? adc = null;
        try
        {
            for (long index = 0; ;)
            {
                var due = MediaTime.OfSample(index, options.SampleRate);
                var wait = due - clock.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
                }

                short raw;
                try
                {
                    adc ??= Open();
                    raw = await adc.ReadRawAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.I2cFailed(Description, backoff.Ceiling.TotalMilliseconds, e.Message);
                    adc?.Dispose();
                    adc = null;
                    failingSince ??= clock.GetElapsedTime(start);
                    await Task.Delay(backoff.Next(), clock, cancellationToken).ConfigureAwait(false);
                    index = Math.Max(index, MediaTime.FirstSampleAtOrAfter(clock.GetElapsedTime(start), options.SampleRate));
                    continue;
                }

                if (failingSince is { } since)
                {
                    var quiet = clock.GetElapsedTime(start) - since;
                    logger.Recovered(Description, quiet.TotalSeconds);
                    failingSince = null;
                    backoff.Reset();
                }

                var volts = adc.ToVolts(raw);
                var microsiemens = Ads1115.IsAtRail(raw) ? EdaCalibration.SaturatedMicrosiemens : Calibration.ToMicrosiemens(volts);
                condition = Report(condition, volts, microsiemens, adc.FullScaleVolts);
                yield return new EdaSample(due, microsiemens);
                index++;
            }
        }
        finally
        {
            adc?.Dispose();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Ads1115 Open() =>
        new(deviceFactory(), options.Input, options.Gain, options.DataRate, DeviceMode.SingleShot, clock);

    private Condition Report(Condition previous, double volts, double microsiemens, double fullScaleVolts)
    {
        var now = microsiemens >= EdaCalibration.SaturatedMicrosiemens ? Condition.Saturated
            : microsiemens < ElectrodeOffMicrosiemens ? Condition.ElectrodeOff
            : Condition.InRange;
        if (now != previous)
        {
            switch (now)
            {
                case Condition.Saturated:
                    logger.Saturated(Description, volts, fullScaleVolts, microsiemens);
                    break;
                case Condition.ElectrodeOff:
                    logger.ElectrodeOff(Description, volts, microsiemens);
                    break;
                default:
                    logger.InRange(Description, microsiemens);
                    break;
            }
        }

        return now;
    }

    private enum Condition
    {
        InRange,
        ElectrodeOff,
        Saturated,
    }
}
