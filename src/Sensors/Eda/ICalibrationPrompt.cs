namespace EdgeEmotion.Sensors.Eda;

/// <summary>One thing the technician attaches during calibration: the open circuit or a reference resistor.</summary>
public sealed record CalibrationStep(int Number, int Count, string Name, double? NominalOhms)
{
    public bool IsOpenCircuit => NominalOhms is null;

    public string Instruction => IsOpenCircuit
        ? $"[{Number}/{Count}] Leave the electrode leads open (nothing attached)"
        : $"[{Number}/{Count}] Attach the {Name} reference resistor across the electrode leads";
}

/// <summary>Asks the technician to set up a step and waits until they confirm (a console, a UI, a test).</summary>
public interface ICalibrationPrompt
{
    ValueTask ReadyAsync(CalibrationStep calibrationStep, CancellationToken cancellationToken);
}
