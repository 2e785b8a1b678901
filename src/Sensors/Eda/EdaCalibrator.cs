namespace EdgeEmotion.Sensors.Eda;

/// <summary>
/// The calibration procedure, independent of any UI: the open circuit, then each reference
/// resistor (smallest first); for each, the prompt waits for the technician, then
/// <see cref="SamplesPerStep"/> readings are averaged (mean, standard deviation, rail flag)
/// and <see cref="EdaCalibrationFit"/> fits or refuses.
/// </summary>
public sealed class EdaCalibrator
{
    private readonly Ads1115 adc;
    private readonly ICalibrationPrompt prompt;
    private readonly TimeProvider clock;

    public EdaCalibrator(Ads1115 adc, ICalibrationPrompt prompt, int samplesPerStep = 32, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(adc);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerStep, 2);
        this.adc = adc;
        this.prompt = prompt;
        SamplesPerStep = samplesPerStep;
        clock = timeProvider ?? TimeProvider.System;
    }

    public int SamplesPerStep { get; }

    /// <summary>The steps for <paramref name="referenceOhms"/>: open circuit first, then the references as given.</summary>
    public static IReadOnlyList<CalibrationStep> StepsFor(IReadOnlyList<double> referenceOhms)
    {
        ArgumentNullException.ThrowIfNull(referenceOhms);
        var count = referenceOhms.Count + 1;
        return [new CalibrationStep(1, count, "open circuit", null), .. referenceOhms.Select((r, i) => new CalibrationStep(i + 2, count, Ohms.Format(r), r))];
    }

    /// <summary>
    /// Runs the procedure. I2C failures propagate as <see cref="Ads1115Exception"/>; a bad fit
    /// comes back as a report with <see cref="EdaCalibrationReport.Refusal"/>.
    /// </summary>
    public async Task<EdaCalibrationReport> RunAsync(IReadOnlyList<double> referenceOhms, string device, CancellationToken cancellationToken)
    {
        var readings = new List<EdaCalibrationReading>();
        foreach (var step in StepsFor(referenceOhms))
        {
            await prompt.ReadyAsync(step, cancellationToken).ConfigureAwait(false);
            readings.Add(await MeasureAsync(step, cancellationToken).ConfigureAwait(false));
        }

        try
        {
            var calibration = EdaCalibrationFit.Fit(readings[0], readings.Skip(1).ToList(), device, adc.Input, adc.Gain, adc.DataRate, clock.GetUtcNow());
            return new EdaCalibrationReport(calibration, calibration.Points, null);
        }
        catch (EdaCalibrationException e)
        {
            return new EdaCalibrationReport(null, readings.Select(r => r.ToPoint()).ToList(), e.Message);
        }
    }

    private async Task<EdaCalibrationReading> MeasureAsync(CalibrationStep step, CancellationToken cancellationToken)
    {
        var volts = new double[SamplesPerStep];
        var saturated = false;
        for (var i = 0; i < volts.Length; i++)
        {
            var raw = await adc.ReadRawAsync(cancellationToken).ConfigureAwait(false);
            saturated |= Ads1115.IsAtRail(raw);
            volts[i] = adc.ToVolts(raw);
        }

        var mean = volts.Average();
        var std = Math.Sqrt(volts.Sum(v => (v - mean) * (v - mean)) / (volts.Length - 1));
        return new EdaCalibrationReading(step.Name, step.NominalOhms, mean, std, volts.Length, saturated);
    }
}
