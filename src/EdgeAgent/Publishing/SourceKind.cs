using System.Text.Json.Serialization;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// Where a modality's samples come from, as every score and status message says it
/// (<c>modalities.&lt;name&gt;.source</c>): a dashboard shows anything but <see cref="Device"/> as
/// not the patient's signal (docs/mqtt.md).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SourceKind>))]
public enum SourceKind
{
    /// <summary>A sensor: a CSI or V4L2 camera, an ALSA microphone, an ADS1115 on the I2C bus.</summary>
    [JsonStringEnumMemberName("device")]
    Device,

    /// <summary>A recording played back (a video, WAV or EDA CSV file, or a camera reading a file).</summary>
    [JsonStringEnumMemberName("file")]
    File,

    /// <summary>Generated samples (synthetic sources, the ADS1115 register simulator).</summary>
    [JsonStringEnumMemberName("synthetic")]
    Synthetic,

    /// <summary>No source configured: the modality is always substituted ("no source").</summary>
    [JsonStringEnumMemberName("none")]
    None,
}

public static class SourceKindNames
{
    /// <summary>The name in messages: device, file, synthetic, none.</summary>
    public static string Name(this SourceKind kind) => kind switch
    {
        SourceKind.Device => "device",
        SourceKind.File => "file",
        SourceKind.Synthetic => "synthetic",
        SourceKind.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown source kind."),
    };
}
