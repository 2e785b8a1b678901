namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// Assembles a <see cref="HealthMessage"/> from the parts of the agent that own each figure: the
/// queue, the publisher's counters, the stage latencies of the interval and the thermal zones.
/// Uptime counts from this builder's creation, which is part of start-up.
/// </summary>
public sealed class HealthMessageBuilder
{
    private readonly string deviceId;
    private readonly IScoreQueue queue;
    private readonly MqttPublisher publisher;
    private readonly ThermalZoneReader thermal;
    private readonly StageLatencyWindow latencies;
    private readonly TimeProvider time;
    private readonly long startedAt;

    public HealthMessageBuilder(string deviceId, IScoreQueue queue, MqttPublisher publisher, ThermalZoneReader thermal, StageLatencyWindow latencies, TimeProvider? timeProvider = null)
    {
        MqttTopics.CheckDeviceId(deviceId);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(thermal);
        ArgumentNullException.ThrowIfNull(latencies);
        this.deviceId = deviceId;
        this.queue = queue;
        this.publisher = publisher;
        this.thermal = thermal;
        this.latencies = latencies;
        time = timeProvider ?? TimeProvider.System;
        startedAt = time.GetTimestamp();
    }

    /// <param name="providers">Execution provider per model (visual: tensorrt, ...).</param>
    /// <param name="droppedSamples">Samples each modality's buffer dropped since start.</param>
    /// <param name="missing">Outputs each modality was missing in, by reason, since start; none when not given.</param>
    public HealthMessage Build(IReadOnlyDictionary<string, string> providers, IReadOnlyDictionary<string, long> droppedSamples, MissingClipCounter? missing = null) =>
        new(
            deviceId,
            time.GetUtcNow(),
            Math.Round(time.GetElapsedTime(startedAt).TotalSeconds, 3),
            QueueHealth.Of(queue),
            new MqttHealth(publisher.Connected, publisher.Reconnects, publisher.Published),
            providers,
            latencies.TakeMeans(),
            droppedSamples,
            thermal.Read(),
            missing?.Snapshot() ?? new Dictionary<string, IReadOnlyDictionary<string, long>>());
}
