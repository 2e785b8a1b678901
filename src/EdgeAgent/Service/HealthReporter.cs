using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Service;

/// <summary>Gathers stage latencies between health messages and publishes the periodic health.</summary>
internal sealed class HealthReporter(
    string deviceId, IScoreQueue queue, MqttPublisher publisher, IReadOnlyDictionary<string, string> providers, TimeProvider clock, long startedTimestamp)
{
    private readonly StageLatencyWindow latencies = new();
    private readonly ThermalZoneReader thermal = new();

    public void Add(ScoreOutput output)
    {
        foreach (var (name, ms) in output.Latency.PreprocessMs)
        {
            latencies.Add($"{name}Preprocess", ms);
        }

        foreach (var (name, ms) in output.Latency.BackboneMs)
        {
            latencies.Add($"{name}Backbone", ms);
        }

        latencies.Add("fusion", output.Latency.FusionMs);
        latencies.Add("total", output.Latency.TotalMs);
    }

    public Task PublishAsync(IReadOnlyDictionary<string, long> dropped, CancellationToken cancellationToken) =>
        publisher.PublishHealthAsync(
            new HealthMessage(
                deviceId,
                clock.GetUtcNow(),
                Math.Round(clock.GetElapsedTime(startedTimestamp).TotalSeconds, 1),
                new QueueHealth(queue.Depth, queue.Dropped, queue.CorruptSkipped),
                new MqttHealth(publisher.Connected, publisher.Reconnects, publisher.Published),
                providers,
                latencies.TakeMeans(),
                dropped,
                thermal.Read()),
            cancellationToken);
}
