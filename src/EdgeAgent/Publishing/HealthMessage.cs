using System.Text.Json.Serialization;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>The durable score queue, as health reports it.</summary>
public sealed record QueueHealth(long Depth, long Dropped, long CorruptSkipped);

/// <summary>The broker connection, as health reports it.</summary>
public sealed record MqttHealth(bool Connected, long Reconnects, long Published);

/// <summary>
/// The body of <c>&lt;root&gt;/&lt;deviceId&gt;/health</c>: published every health interval at QoS 0
/// (a missed one is replaced by the next), never queued.
/// </summary>
public sealed record HealthMessage(
    string DeviceId,
    [property: JsonConverter(typeof(UtcTimestampJsonConverter))] DateTimeOffset ProducedAt,
    double UptimeSeconds,
    QueueHealth Queue,
    MqttHealth Mqtt,
    IReadOnlyDictionary<string, string> Providers,
    IReadOnlyDictionary<string, double> StageLatencyMs,
    IReadOnlyDictionary<string, long> DroppedSamples,
    IReadOnlyDictionary<string, double> TemperaturesC);
