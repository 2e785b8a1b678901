namespace EdgeEmotion.Sensors.Eda.Simulation;

/// <summary>Something wired to an ADC input: gives the voltage at the pin each time it is sampled.</summary>
public interface IAnalogFrontEnd
{
    double SampleVolts();
}

/// <summary>A fixed voltage (a bench supply, a grounded pin).</summary>
public sealed record ConstantVoltage(double Volts) : IAnalogFrontEnd
{
    public double SampleVolts() => Volts;
}
