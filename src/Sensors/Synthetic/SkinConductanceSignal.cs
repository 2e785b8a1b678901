namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>
/// Skin conductance one reading at a time: a tonic level wandering slowly (a mean-reverting
/// random walk, about 0.4 uS spread over a minute), phasic responses at random times (Bateman
/// shape: 0.7 s rise, 3 s decay), and measurement noise.
/// </summary>
internal sealed class SkinConductanceSignal
{
    private const double RiseSeconds = 0.7;
    private const double DecaySeconds = 3.0;
    private const double DriftTimeConstantSeconds = 60;
    private const double DriftSpreadMicrosiemens = 0.4;

    // The Bateman curve's peak, so a response of amplitude A peaks at A above the baseline.
    private static readonly double BatemanPeak = Bateman(
        Math.Log(DecaySeconds / RiseSeconds) / ((1 / RiseSeconds) - (1 / DecaySeconds)));

    private readonly SyntheticEdaOptions options;
    private readonly Random random;
    private readonly List<(double Onset, double Amplitude)> responses = [];
    private long index;
    private double drift;
    private double nextOnset;

    public SkinConductanceSignal(SyntheticEdaOptions options)
    {
        this.options = options;
        random = new Random(options.Seed);
        nextOnset = NextInterval();
    }

    public double Next()
    {
        var t = index / options.SampleRate;
        var dt = 1 / options.SampleRate;
        index++;

        // Ornstein-Uhlenbeck drift: reverts to 0 with the time constant, spread as configured.
        var diffusion = DriftSpreadMicrosiemens * Math.Sqrt(2 / DriftTimeConstantSeconds);
        drift += (-drift / DriftTimeConstantSeconds * dt) + (diffusion * Math.Sqrt(dt) * random.NextGaussian());

        while (t >= nextOnset)
        {
            responses.Add((nextOnset, options.MaxResponseMicrosiemens * random.NextDouble(0.2, 1.0)));
            nextOnset += NextInterval();
        }

        // Responses have faded to nothing after ten decay constants.
        responses.RemoveAll(r => t - r.Onset > 10 * DecaySeconds);
        var phasic = 0.0;
        foreach (var (onset, amplitude) in responses)
        {
            phasic += amplitude * Bateman(t - onset) / BatemanPeak;
        }

        var value = options.TonicMicrosiemens + drift + phasic + (options.NoiseMicrosiemens * random.NextGaussian());
        return Math.Max(0.05, value);
    }

    // Exponential waiting time (a Poisson process), never closer than 2 s.
    private double NextInterval()
    {
        var mean = Math.Max(0.0, options.MeanResponseInterval.TotalSeconds - 2);
        return 2 + (mean * -Math.Log(1 - random.NextDouble()));
    }

    private static double Bateman(double seconds) =>
        seconds <= 0 ? 0 : Math.Exp(-seconds / DecaySeconds) - Math.Exp(-seconds / RiseSeconds);
}
