using System.Globalization;

namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>The three sensing channels a dropout can hit; names as in the packs' modalities.</summary>
public enum SensorModality
{
    Visual,
    Audio,
    Eda,
}

/// <summary>What happens to a modality during a dropout.</summary>
public enum DropoutKind
{
    /// <summary>Any modality: the source yields nothing in the interval.</summary>
    Missing,

    /// <summary>Visual: the last frame repeats (a frozen camera).</summary>
    Frozen,

    /// <summary>Audio: exact zeros (a muted or disconnected microphone).</summary>
    Silence,

    /// <summary>Audio: the signal driven into hard clipping at full scale.</summary>
    Clipped,

    /// <summary>EDA: about 0 uS (an electrode off the skin).</summary>
    ElectrodeOff,

    /// <summary>EDA: pinned above the valid range (a saturated front end).</summary>
    Saturated,
}

/// <summary>One scripted dropout: <see cref="Kind"/> on <see cref="Modality"/> for media times in [Start, End).</summary>
public sealed record Dropout(SensorModality Modality, TimeSpan Start, TimeSpan End, DropoutKind Kind)
{
    public bool Contains(TimeSpan time) => time >= Start && time < End;

    /// <summary>The compact form <see cref="DropoutScript.Parse"/> reads, e.g. <c>visual:missing@10-15</c>.</summary>
    public override string ToString() =>
        $"{DropoutNames.Of(Modality)}:{DropoutNames.Of(Kind)}@{Seconds(Start)}-{Seconds(End)}";

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.#######", CultureInfo.InvariantCulture);
}

/// <summary>The names used in the compact script form, and which kinds each modality takes.</summary>
public static class DropoutNames
{
    public static string Of(SensorModality modality) => modality switch
    {
        SensorModality.Visual => "visual",
        SensorModality.Audio => "audio",
        SensorModality.Eda => "eda",
        _ => throw new ArgumentOutOfRangeException(nameof(modality), modality, "Unknown modality."),
    };

    public static string Of(DropoutKind kind) => kind switch
    {
        DropoutKind.Missing => "missing",
        DropoutKind.Frozen => "frozen",
        DropoutKind.Silence => "silence",
        DropoutKind.Clipped => "clipped",
        DropoutKind.ElectrodeOff => "electrode-off",
        DropoutKind.Saturated => "saturated",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown dropout kind."),
    };

    /// <summary>The kinds that make sense for a modality (Missing for all).</summary>
    public static IReadOnlyList<DropoutKind> KindsFor(SensorModality modality) => modality switch
    {
        SensorModality.Visual => [DropoutKind.Missing, DropoutKind.Frozen],
        SensorModality.Audio => [DropoutKind.Missing, DropoutKind.Silence, DropoutKind.Clipped],
        SensorModality.Eda => [DropoutKind.Missing, DropoutKind.ElectrodeOff, DropoutKind.Saturated],
        _ => throw new ArgumentOutOfRangeException(nameof(modality), modality, "Unknown modality."),
    };

    internal static bool TryParseModality(string text, out SensorModality modality)
    {
        switch (text.ToUpperInvariant())
        {
            case "VISUAL":
            case "VIDEO":
                modality = SensorModality.Visual;
                return true;
            case "AUDIO":
                modality = SensorModality.Audio;
                return true;
            case "EDA":
                modality = SensorModality.Eda;
                return true;
            default:
                modality = default;
                return false;
        }
    }

    internal static bool TryParseKind(string text, out DropoutKind kind)
    {
        foreach (var candidate in Enum.GetValues<DropoutKind>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    internal static string KindList(SensorModality modality)
    {
        var names = KindsFor(modality).Select(Of).ToList();
        return names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
    }
}
