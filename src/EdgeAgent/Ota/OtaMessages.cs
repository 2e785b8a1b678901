namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>The JSON an operator publishes on <c>ota/request</c> (docs/mqtt.md).</summary>
public sealed class OtaRequestMessage
{
    /// <summary>Echoed on every ota/status of this request; defaults to the version.</summary>
    public string? RequestId { get; init; }

    /// <summary>http:// or https:// address of the signed bundle.</summary>
    public string? Url { get; init; }

    /// <summary>sha256 of the whole bundle file, lowercase hex.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The pack version the bundle holds.</summary>
    public string? Version { get; init; }
}

/// <summary>One step or outcome of an OTA request, published on <c>ota/status</c> (docs/schemas/ota-status.schema.json).</summary>
public sealed record OtaStatusMessage(
    string DeviceId,
    string RequestId,
    string? Version,
    string State,
    double? Progress,
    string? Reason,
    DateTimeOffset At);

/// <summary>The states an OTA request passes through; the last three are final.</summary>
public static class OtaStates
{
    public const string Downloading = "downloading";
    public const string Installing = "installing";
    public const string Switching = "switching";
    public const string Gated = "gated";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string RolledBack = "rolled-back";
}
