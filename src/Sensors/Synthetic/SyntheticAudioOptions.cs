namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>Options for <see cref="SyntheticAudioSource"/>.</summary>
public sealed record SyntheticAudioOptions : SyntheticSourceOptions
{
    /// <summary>Samples per second; the affect packs listen at 44.1 kHz.</summary>
    public int SampleRate { get; init; } = 44_100;

    /// <summary>Length of each <see cref="Runtime.Sources.AudioBlock"/>, like a capture period.</summary>
    public TimeSpan BlockDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Peak level of the voiced parts, full scale 1.</summary>
    public double SpeechLevel { get; init; } = 0.3;

    /// <summary>RMS of the background noise, full scale 1.</summary>
    public double NoiseLevel { get; init; } = 0.003;

    /// <summary>Gain applied before hard clipping during a <see cref="DropoutKind.Clipped"/> dropout.</summary>
    public double ClippingGain { get; init; } = 50;

    /// <summary>Samples per block at this rate.</summary>
    public int BlockSamples => Math.Max(1, (int)Math.Round(BlockDuration.TotalSeconds * SampleRate));

    public override void Validate()
    {
        base.Validate();
        CheckRange(SampleRate is >= 1000 and <= 384_000, SampleRate, nameof(SampleRate), "1000 to 384000 Hz");
        CheckRange(BlockDuration > TimeSpan.Zero && BlockDuration <= TimeSpan.FromSeconds(10), BlockDuration, nameof(BlockDuration), "in (0, 10 s]");
        CheckRange(SpeechLevel is >= 0 and <= 1, SpeechLevel, nameof(SpeechLevel), "in [0, 1]");
        CheckRange(NoiseLevel is >= 0 and <= 1, NoiseLevel, nameof(NoiseLevel), "in [0, 1]");
        CheckRange(ClippingGain is >= 1 and <= 1000, ClippingGain, nameof(ClippingGain), "in [1, 1000]");
    }
}
