namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>Options for <see cref="SyntheticEdaSource"/>.</summary>
public sealed record SyntheticEdaOptions : SyntheticSourceOptions
{
    /// <summary>Readings per second.</summary>
    public double SampleRate { get; init; } = 32;

    /// <summary>Mean skin-conductance level, in microsiemens.</summary>
    public double TonicMicrosiemens { get; init; } = 5.0;

    /// <summary>Mean time between skin-conductance responses (at least 2 s apart).</summary>
    public TimeSpan MeanResponseInterval { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Largest response amplitude, in microsiemens (each is 20-100 % of it).</summary>
    public double MaxResponseMicrosiemens { get; init; } = 1.0;

    /// <summary>Measurement noise (standard deviation), in microsiemens.</summary>
    public double NoiseMicrosiemens { get; init; } = 0.005;

    /// <summary>
    /// The reading during a <see cref="DropoutKind.Saturated"/> dropout: above any pack's
    /// <c>validMax</c> (the packs use 60 uS).
    /// </summary>
    public double SaturatedMicrosiemens { get; init; } = 100;

    public override void Validate()
    {
        base.Validate();
        CheckRange(SampleRate is > 0 and <= 10_000, SampleRate, nameof(SampleRate), "in (0, 10000] Hz");
        CheckRange(TonicMicrosiemens is >= 0.1 and <= 50, TonicMicrosiemens, nameof(TonicMicrosiemens), "in [0.1, 50] uS");
        CheckRange(MeanResponseInterval > TimeSpan.Zero, MeanResponseInterval, nameof(MeanResponseInterval), "positive");
        CheckRange(MaxResponseMicrosiemens is >= 0 and <= 20, MaxResponseMicrosiemens, nameof(MaxResponseMicrosiemens), "in [0, 20] uS");
        CheckRange(NoiseMicrosiemens is >= 0 and <= 1, NoiseMicrosiemens, nameof(NoiseMicrosiemens), "in [0, 1] uS");
        CheckRange(SaturatedMicrosiemens is > 0 and <= 10_000, SaturatedMicrosiemens, nameof(SaturatedMicrosiemens), "in (0, 10000] uS");
    }
}
