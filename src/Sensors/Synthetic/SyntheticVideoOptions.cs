namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>Options for <see cref="SyntheticVideoSource"/>.</summary>
public sealed record SyntheticVideoOptions : SyntheticSourceOptions
{
    /// <summary>
    /// A photo with a frontal face that OpenCV's cascade finds, e.g. the repository's
    /// <c>tests/media/face.jpg</c>.
    /// </summary>
    public required string FaceImagePath { get; init; }

    public int Width { get; init; } = 320;

    public int Height { get; init; } = 240;

    public double FrameRate { get; init; } = 30;

    /// <summary>Height of the pasted face photo as a fraction of the frame height.</summary>
    public double FaceImageHeightFraction { get; init; } = 0.75;

    /// <summary>Horizontal drift amplitude of the face as a fraction of the frame width (vertical is a third of it).</summary>
    public double DriftFraction { get; init; } = 0.1;

    /// <summary>Standard deviation of per-frame sensor noise, in gray levels; 0 for none.</summary>
    public double NoiseLevel { get; init; } = 2.0;

    public override void Validate()
    {
        base.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(FaceImagePath);
        CheckRange(Width is >= 16 and <= 8192, Width, nameof(Width), "16 to 8192 pixels");
        CheckRange(Height is >= 16 and <= 8192, Height, nameof(Height), "16 to 8192 pixels");
        CheckRange(FrameRate is > 0 and <= 1000, FrameRate, nameof(FrameRate), "in (0, 1000] frames per second");
        CheckRange(FaceImageHeightFraction is > 0.05 and <= 1, FaceImageHeightFraction, nameof(FaceImageHeightFraction), "in (0.05, 1]");
        CheckRange(DriftFraction is >= 0 and <= 0.5, DriftFraction, nameof(DriftFraction), "in [0, 0.5]");
        CheckRange(NoiseLevel is >= 0 and <= 64, NoiseLevel, nameof(NoiseLevel), "in [0, 64] gray levels");
    }
}
