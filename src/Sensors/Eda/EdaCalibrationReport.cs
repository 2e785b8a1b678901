namespace EdgeEmotion.Sensors.Eda;

/// <summary>
/// What a calibration run found: the fitted calibration, or the reason it was refused; the
/// points either way (with fitted values and % errors when the fit was accepted).
/// </summary>
public sealed record EdaCalibrationReport(EdaCalibration? Calibration, IReadOnlyList<EdaCalibrationPoint> Points, string? Refusal)
{
    public bool Ok => Calibration is not null;
}
