using System.Text.Json.Serialization;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>The durable score queue, as health reports it.</summary>
/// <param name="Depth">Messages not yet delivered, on disk or held in memory.</param>
/// <param name="Dropped">Messages dropped since start, for any reason.</param>
/// <param name="CorruptSkipped">Damaged records skipped when the queue was opened.</param>
/// <param name="Unwritten">Of <paramref name="Depth"/>, messages held in memory only because the disk refused them.</param>
/// <param name="DroppedUnwritable">Of <paramref name="Dropped"/>, messages the disk refused that were not delivered in time.</param>
/// <param name="Writable">False while the disk refuses writes (full, read-only).</param>
/// <param name="WriteError">Why it refuses them; absent while it takes them.</param>
public sealed record QueueHealth(
    long Depth,
    long Dropped,
    long CorruptSkipped,
    long Unwritten = 0,
    long DroppedUnwritable = 0,
    bool Writable = true,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WriteError = null)
{
    public static QueueHealth Of(IScoreQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var error = queue.WriteError;
        return new QueueHealth(queue.Depth, queue.Dropped, queue.CorruptSkipped, queue.Unwritten, queue.DroppedUnwritable, error is null, error);
    }
}

/// <summary>The broker connection, as health reports it.</summary>
public sealed record MqttHealth(bool Connected, long Reconnects, long Published);

/// <summary>
/// The body of <c>&lt;root&gt;/&lt;deviceId&gt;/health</c>; <c>missingOutputs</c>: per modality and
/// reason, the outputs since start in which it was missing (<see cref="MissingClipCounter"/>): published every health interval at QoS 0
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
    IReadOnlyDictionary<string, double> TemperaturesC,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> MissingOutputs);
