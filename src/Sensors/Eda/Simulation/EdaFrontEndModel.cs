using EdgeEmotion.Sensors.Synthetic;

namespace EdgeEmotion.Sensors.Eda.Simulation;

/// <summary>
/// A GSR voltage divider: the load (skin between the electrodes, or a reference resistor) on
/// top to <see cref="SupplyVolts"/>, <see cref="ReferenceOhms"/> to ground, the ADC input at
/// the junction: Vout = Vcc·Rref / (Rload + Rref). An open circuit (electrode off, infinite
/// load) reads <see cref="OffsetVolts"/>. Optional Gaussian noise, seeded, so runs repeat.
/// Thread-safe: the load may change while an ADC samples it.
/// </summary>
public sealed class EdaFrontEndModel : IAnalogFrontEnd
{
    private readonly Lock gate = new();
    private readonly Random random;
    private double loadOhms = double.PositiveInfinity;

    /// <summary>
    /// The bench `edgeemo calibrate-eda --simulate` calibrates and the agent's simulated EDA source
    /// reads: a 3.3 V divider over 100 kOhm with 0.3 mV noise and a 2 mV offset, open until a load is attached.
    /// </summary>
    public static EdaFrontEndModel SimulatedBench() => new(supplyVolts: 3.3, referenceOhms: 100_000, noiseVolts: 0.0003, offsetVolts: 0.002, seed: 7);

    public EdaFrontEndModel(double supplyVolts = 3.3, double referenceOhms = 100_000, double noiseVolts = 0, double offsetVolts = 0, int seed = 1)
    {
        if (!(supplyVolts > 0 && supplyVolts <= 5.5))
        {
            throw new ArgumentOutOfRangeException(nameof(supplyVolts), supplyVolts, "supplyVolts must be in (0, 5.5] V.");
        }

        if (!(referenceOhms > 0 && double.IsFinite(referenceOhms)))
        {
            throw new ArgumentOutOfRangeException(nameof(referenceOhms), referenceOhms, "referenceOhms must be positive.");
        }

        if (!(noiseVolts >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseVolts), noiseVolts, "noiseVolts must be >= 0.");
        }

        SupplyVolts = supplyVolts;
        ReferenceOhms = referenceOhms;
        NoiseVolts = noiseVolts;
        OffsetVolts = offsetVolts;
        random = new Random(seed);
    }

    public double SupplyVolts { get; }

    public double ReferenceOhms { get; }

    public double NoiseVolts { get; }

    /// <summary>What the input reads with nothing attached (ADC offset, leakage).</summary>
    public double OffsetVolts { get; }

    /// <summary>The resistance between the electrodes; <see cref="double.PositiveInfinity"/> = open circuit.</summary>
    public double LoadOhms
    {
        get
        {
            lock (gate)
            {
                return loadOhms;
            }
        }

        set
        {
            if (!(value > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "LoadOhms must be positive (PositiveInfinity for an open circuit).");
            }

            lock (gate)
            {
                loadOhms = value;
            }
        }
    }

    /// <summary>Attaches skin of the given conductance (microsiemens; 0 = electrode off).</summary>
    public void AttachSkin(double microsiemens) => LoadOhms = microsiemens > 0 ? 1e6 / microsiemens : double.PositiveInfinity;

    public void Disconnect() => LoadOhms = double.PositiveInfinity;

    /// <summary>The noise-free output for <paramref name="loadOhms"/>.</summary>
    public double IdealVolts(double loadOhms) =>
        OffsetVolts + (double.IsPositiveInfinity(loadOhms) ? 0 : SupplyVolts * ReferenceOhms / (loadOhms + ReferenceOhms));

    public double SampleVolts()
    {
        lock (gate)
        {
            var volts = IdealVolts(loadOhms);
            return NoiseVolts > 0 ? volts + (NoiseVolts * random.NextGaussian()) : volts;
        }
    }
}
