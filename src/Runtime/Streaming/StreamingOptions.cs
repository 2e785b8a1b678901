using System.Text.Json.Serialization;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>What to feed the fusion head when a modality is missing for a clip.</summary>
public enum MissingPolicy
{
    /// <summary>Reuse the last good clip's feature for up to <see cref="ModalityOptions.MaxHold"/>, then substitute.</summary>
    [JsonStringEnumMemberName("hold")]
    Hold,

    /// <summary>Substitute at once: black frames, silence or neutral EDA, normalised as in training.</summary>
    [JsonStringEnumMemberName("substitute")]
    Substitute,
}

/// <summary>Per-modality handling of dropouts.</summary>
public sealed class ModalityOptions
{
    public MissingPolicy Policy { get; set; } = MissingPolicy.Hold;

    /// <summary>How long a last good clip may stand in for missing ones.</summary>
    public TimeSpan MaxHold { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>No sample for this long (in the stream's time) means the source has stalled.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Settings of the streaming pipeline; bound from the config file's <c>Streaming</c> section.</summary>
public sealed class StreamingOptions
{
    /// <summary>Frames between consecutive clip ends; null means the pack's clip spacing (one clip per fusion step).</summary>
    public int? Hop { get; set; }

    /// <summary>Per modality name (visual, audio, eda); modalities not listed get the defaults.</summary>
    public Dictionary<string, ModalityOptions> Modalities { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A video clip needs at least this share of its frames with a face (detected or held) to count as seen.</summary>
    public double MinFaceFraction { get; set; } = 0.5;

    /// <summary>This many identical frames in a row mean the camera froze.</summary>
    public int FrozenFrames { get; set; } = 15;

    /// <summary>An audio segment quieter than this (RMS, dB full scale) is silence.</summary>
    public double SilenceDbfs { get; set; } = -60;

    /// <summary>An audio segment with more than this share of samples at full scale is clipped.</summary>
    public double ClippedFraction { get; set; } = 0.02;

    /// <summary>An EDA segment with more than this share of readings outside the pack's valid range means electrode off or saturated.</summary>
    public double EdaInvalidFraction { get; set; } = 0.5;

    /// <summary>Average outputs over the pack's smoothingFrames (as in the paper's offline evaluation).</summary>
    public bool Smooth { get; set; }

    /// <summary>Settings for modalities <see cref="Modalities"/> does not list.</summary>
    public ModalityOptions Defaults { get; set; } = new();

    public ModalityOptions For(string modality) => Modalities.TryGetValue(modality, out var o) ? o : Defaults;

    /// <summary>Checks the settings against a pack; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate(Packs.PackManifest pack)
    {
        var spacing = pack.ClipSpacing;
        var hop = Hop ?? spacing;
        if (hop < 1 || spacing % hop != 0)
        {
            throw new ArgumentException(
                $"Streaming.Hop {hop} must divide the pack's clip spacing of {spacing} frames, so each fusion window finds its clips (e.g. {string.Join(", ", Divisors(spacing))})");
        }

        foreach (var (name, options) in Modalities)
        {
            if (pack.FindModality(name) is null)
            {
                throw new ArgumentException($"Streaming.Modalities.{name}: pack {pack.Id} has no such modality ({string.Join(", ", pack.Modalities.Select(m => m.Name))})");
            }

            if (options.MaxHold < TimeSpan.Zero || options.StallTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentException($"Streaming.Modalities.{name}: MaxHold must be >= 0 and StallTimeout > 0");
            }
        }

        if (MinFaceFraction is < 0 or > 1 || ClippedFraction is < 0 or > 1 || EdaInvalidFraction is < 0 or > 1)
        {
            throw new ArgumentException("Streaming: MinFaceFraction, ClippedFraction and EdaInvalidFraction are fractions in [0, 1]");
        }

        if (FrozenFrames < 2)
        {
            throw new ArgumentException($"Streaming.FrozenFrames must be >= 2, not {FrozenFrames}");
        }
    }

    private static IEnumerable<int> Divisors(int n) => Enumerable.Range(1, n).Where(d => n % d == 0);
}
