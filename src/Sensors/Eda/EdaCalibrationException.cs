namespace EdgeEmotion.Sensors.Eda;

/// <summary>A calibration was refused (bad readings, bad fit) or a calibration file cannot be used.</summary>
public sealed class EdaCalibrationException(string message, Exception? inner = null) : Exception(message, inner);
