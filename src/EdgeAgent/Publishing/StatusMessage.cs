using System.Text.Json.Serialization;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>What the device is doing, as the retained <c>status</c> message says it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceState>))]
public enum DeviceState
{
    /// <summary>Scoring with every modality.</summary>
    [JsonStringEnumMemberName("online")]
    Online,

    /// <summary>Connected, but some modality is held, substituted or imagined (or none is left).</summary>
    [JsonStringEnumMemberName("degraded")]
    Degraded,

    /// <summary>Stopped cleanly, or the connection was lost (the broker's last will).</summary>
    [JsonStringEnumMemberName("offline")]
    Offline,
}

/// <summary>One modality as the status topic reports it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModalityStatusState>))]
public enum ModalityStatusState
{
    [JsonStringEnumMemberName("ok")]
    Ok,

    [JsonStringEnumMemberName("held")]
    Held,

    [JsonStringEnumMemberName("substituted")]
    Substituted,

    /// <summary>Missing; the pack's imagination models predicted its features from the modalities present.</summary>
    [JsonStringEnumMemberName("imagined")]
    Imagined,

    /// <summary>Not known: no clip scored yet, or the device is offline.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,
}

/// <summary>The pack that produces the scores.</summary>
public sealed record ModelDescriptor(string Id, string Version, string Task);

/// <summary>One modality in the status: its state, what feeds it (a sensor or not) and why it is missing.</summary>
public sealed record ModalityStatus(
    ModalityStatusState State,
    SourceKind Source,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

/// <summary>The durable queue, as the status reports it: whether the disk takes writes, and what was lost.</summary>
/// <param name="Writable">False while the disk refuses writes: scores still go to a connected broker, but are not stored.</param>
/// <param name="Dropped">Messages dropped since start (queue full, or refused by the disk and not delivered in time).</param>
/// <param name="WriteError">Why the disk refuses writes; absent while it takes them.</param>
public sealed record QueueStatus(
    bool Writable,
    long Dropped,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WriteError = null);

/// <summary>
/// The body of <c>&lt;root&gt;/&lt;deviceId&gt;/status</c> (retained). <see cref="Since"/> is when
/// <see cref="State"/> began; the last will carries none, because the broker sends it only when it
/// notices the loss. <see cref="Reason"/> says why an offline device is offline.
/// </summary>
public sealed record StatusMessage(
    DeviceState State,
    string DeviceId,
    ModelDescriptor? Model,
    IReadOnlyDictionary<string, ModalityStatus> Modalities,
    string AgentVersion,
    [property: JsonConverter(typeof(UtcTimestampJsonConverter))]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    DateTimeOffset? Since,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QueueStatus? Queue = null)
{
    /// <summary>Offline reason of a clean stop.</summary>
    public const string StoppedReason = "stopped";

    /// <summary>Offline reason in the last will: the broker lost the connection without a goodbye.</summary>
    public const string ConnectionLostReason = "connection lost";

    /// <summary>Connected and about to score: each modality (by its source) unknown until the first output.</summary>
    /// <param name="sources">What feeds each of the pack's modalities; none before a pack is loaded.</param>
    public static StatusMessage Starting(string deviceId, DateTimeOffset since, ModelDescriptor? model = null, IReadOnlyDictionary<string, SourceKind>? sources = null) =>
        new(
            DeviceState.Online,
            deviceId,
            model,
            (sources ?? new Dictionary<string, SourceKind>()).ToDictionary(s => s.Key, s => new ModalityStatus(ModalityStatusState.Unknown, s.Value), StringComparer.Ordinal),
            Publishing.AgentVersion.Current,
            since);

    /// <summary>
    /// The status after an output: online when every modality is ok, degraded otherwise. Keeps
    /// <paramref name="previous"/>'s <see cref="Since"/> when the state has not changed.
    /// </summary>
    /// <param name="sources">What feeds each modality (<see cref="SourceKind.None"/> where absent).</param>
    public static StatusMessage ForModalities(
        string deviceId,
        ModelDescriptor model,
        IReadOnlyDictionary<string, ModalityReport> modalities,
        IReadOnlyDictionary<string, SourceKind> sources,
        DateTimeOffset now,
        StatusMessage? previous = null)
    {
        ArgumentNullException.ThrowIfNull(modalities);
        ArgumentNullException.ThrowIfNull(sources);
        var states = new Dictionary<string, ModalityStatus>(StringComparer.Ordinal);
        foreach (var (name, report) in modalities)
        {
            states[name] = new ModalityStatus(
                report.State switch
                {
                    ModalityState.Ok => ModalityStatusState.Ok,
                    ModalityState.Held => ModalityStatusState.Held,
                    ModalityState.Imagined => ModalityStatusState.Imagined,
                    _ => ModalityStatusState.Substituted,
                },
                sources.GetValueOrDefault(name, SourceKind.None),
                report.Reason);
        }

        var state = states.Count > 0 && states.Values.All(s => s.State == ModalityStatusState.Ok) ? DeviceState.Online : DeviceState.Degraded;
        var since = previous is { Since: { } previousSince } && previous.State == state ? previousSince : now;
        return new StatusMessage(state, deviceId, model, states, Publishing.AgentVersion.Current, since, Queue: previous?.Queue);
    }

    /// <summary>This status turned offline: same device, model and sources, every modality unknown.</summary>
    /// <param name="since">Null for the last will, whose moment only the broker will know.</param>
    public StatusMessage AsOffline(string reason, DateTimeOffset? since) =>
        this with
        {
            State = DeviceState.Offline,
            Modalities = Modalities.ToDictionary(m => m.Key, m => new ModalityStatus(ModalityStatusState.Unknown, m.Value.Source), StringComparer.Ordinal),
            Since = since,
            Reason = reason,
        };
}
