using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Eda.Simulation;

namespace EdgeEmotion.Sensors.Tests.Eda;

/// <summary>
/// A simulated bench: divider front end on AIN0 of a simulated ADS1115, on a virtual clock. The
/// default front end is deliberately off-nominal (3.28 V supply, 98.7k reference, offset, noise)
/// so a calibration has something to correct.
/// </summary>
internal sealed class SimulatedEdaRig
{
    public SimulatedEdaRig(ProgrammableGain gain = ProgrammableGain.FullScale4096mV, double supplyVolts = 3.28, double referenceOhms = 98_700)
    {
        FrontEnd = new EdaFrontEndModel(supplyVolts, referenceOhms, noiseVolts: 0.0003, offsetVolts: 0.0015, seed: 11);
        Simulator = new Ads1115Simulator(FrontEnd, timeProvider: Clock);
        Adc = new Ads1115(Simulator, InputMultiplexer.Ain0Gnd, gain, DataRate.Sps860, DeviceMode.SingleShot, Clock, ownsDevice: false);
    }

    public VirtualTimeProvider Clock { get; } = new();

    public EdaFrontEndModel FrontEnd { get; }

    public Ads1115Simulator Simulator { get; }

    public Ads1115 Adc { get; }

    public Task<EdaCalibrationReport> CalibrateAsync(params double[] references) => CalibrateAsync(new AttachAsAsked(FrontEnd), references);

    public Task<EdaCalibrationReport> CalibrateAsync(ICalibrationPrompt prompt, params double[] references) =>
        new EdaCalibrator(Adc, prompt, samplesPerStep: 32, Clock).RunAsync(references, "simulated i2c-1/0x48", CancellationToken.None);

    /// <summary>The mean of <paramref name="count"/> readings, in volts.</summary>
    public double MeanVolts(int count = 32) => Enumerable.Range(0, count).Average(_ => Adc.ReadVolts());

    /// <summary>A technician who attaches what each step asks for, through <paramref name="swap"/> if given.</summary>
    internal sealed class AttachAsAsked(EdaFrontEndModel frontEnd, Func<double?, double?>? swap = null) : ICalibrationPrompt
    {
        public ValueTask ReadyAsync(CalibrationStep calibrationStep, CancellationToken cancellationToken)
        {
            var ohms = swap is null ? calibrationStep.NominalOhms : swap(calibrationStep.NominalOhms);
            frontEnd.LoadOhms = ohms ?? double.PositiveInfinity;
            return ValueTask.CompletedTask;
        }
    }
}
