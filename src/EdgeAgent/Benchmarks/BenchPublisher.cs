using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>
/// The service's publish path short of the network: each output becomes its MQTT message body
/// (<see cref="ScoreJson.SerializeMessage"/>) and is appended, fsynced, to a real
/// <see cref="DiskScoreQueue"/> in a temporary folder, as <c>AgentRunner</c> does. A connected
/// broker is stood in for by acknowledging each message at once, as the MQTT publisher does after
/// a PUBACK, so the queue stays short and its segments roll over and get deleted as in the field.
/// </summary>
internal sealed class BenchPublisher : IDisposable
{
    private const string DeviceId = "bench";

    private readonly DirectoryInfo directory;
    private readonly DiskScoreQueue queue;
    private readonly PackManifest manifest;
    private readonly TimeProvider clock;

    // The bench feeds generated media: its messages say so, as a service's would.
    private readonly Dictionary<string, SourceKind> sources;

    public BenchPublisher(PackManifest manifest, ILoggerFactory loggers, TimeProvider? timeProvider = null)
    {
        this.manifest = manifest;
        clock = timeProvider ?? TimeProvider.System;
        sources = manifest.Modalities.ToDictionary(m => m.Name, _ => SourceKind.Synthetic, StringComparer.Ordinal);
        directory = Directory.CreateTempSubdirectory("edgeemo-bench-queue-");
        try
        {
            queue = new DiskScoreQueue(new ScoreQueueOptions { Directory = directory.FullName }, loggers.CreateLogger<DiskScoreQueue>(), clock);
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Messages stored and not yet acknowledged (stays 0 while every message is delivered at once).</summary>
    public long QueueDepth => queue.Depth;

    /// <summary>Serialises and stores one output, as the scoring loop does before the broker sees it.</summary>
    public long Publish(ScoreOutput output)
    {
        var sequence = queue.NextSequence;
        var payload = ScoreJson.SerializeMessage(
            output, new ScoreEnvelope(sequence, DeviceId, clock.GetUtcNow(), manifest.Id, manifest.Version, manifest.Task, sources));
        queue.Append(sequence, payload);
        return sequence;
    }

    /// <summary>The broker took the message: what the MQTT publisher does on PUBACK (on its own thread in the service).</summary>
    public void Deliver(long sequence) => queue.Acknowledge(sequence);

    public void Dispose()
    {
        queue.Dispose();
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is no reason to fail a benchmark.
        }
    }
}
