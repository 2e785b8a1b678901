namespace EdgeEmotion.Sensors.Eda;

/// <summary>
/// One calibration step: a reference resistor (or the open circuit, <see cref="NominalOhms"/>
/// null), the mean reading and its noise, and how far the fitted model lands from the nominal.
/// </summary>
public sealed record EdaCalibrationPoint(
    string Name,
    double? NominalOhms,
    double Volts,
    double NoiseVolts,
    int Samples,
    bool Saturated,
    double? FittedOhms = null,
    double? ErrorPercent = null);

/// <summary>The averaged readings of one calibration step, as the calibrator collects them.</summary>
public sealed record EdaCalibrationReading(string Name, double? NominalOhms, double Volts, double NoiseVolts, int Samples, bool Saturated)
{
    public EdaCalibrationPoint ToPoint() => new(Name, NominalOhms, Volts, NoiseVolts, Samples, Saturated);
}
