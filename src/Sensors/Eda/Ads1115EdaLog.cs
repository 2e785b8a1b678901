using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Sensors.Eda;

internal static partial class Ads1115EdaLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: sampling at {Rate} Hz, calibration {CalibrationFile} ({CalibratedDevice}, Rref {ReferenceOhms:F0} ohm, Vs {SupplyVolts:F3} V)")]
    public static partial void Started(this ILogger logger, string source, double rate, string calibrationFile, string calibratedDevice, double referenceOhms, double supplyVolts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: calibrated for {CalibratedInput} at {CalibratedGain} but configured for {Input} at {Gain}: readings may be off; run `edgeemo calibrate-eda` with this setting")]
    public static partial void CalibrationMismatch(this ILogger logger, string source, InputMultiplexer calibratedInput, ProgrammableGain calibratedGain, InputMultiplexer input, ProgrammableGain gain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: I2C failure, no EDA samples until it answers; retrying in {RetryMs:F0} ms: {Reason}")]
    public static partial void I2cFailed(this ILogger logger, string source, double retryMs, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: ADS1115 answering again after {Seconds:F1} s without samples")]
    public static partial void Recovered(this ILogger logger, string source, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: electrode off (open circuit: {Volts:F4} V, {Microsiemens:F3} uS)")]
    public static partial void ElectrodeOff(this ILogger logger, string source, double volts, double microsiemens);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: saturated, reading at the rail ({Volts:F4} V of ±{FullScaleVolts} V full scale), reported as {Microsiemens} uS")]
    public static partial void Saturated(this ILogger logger, string source, double volts, double fullScaleVolts, double microsiemens);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: electrode contact back in range ({Microsiemens:F3} uS)")]
    public static partial void InRange(this ILogger logger, string source, double microsiemens);
}
