using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Service;

/// <summary>
/// The agent's main job, shared by <c>edgeemo run</c> (under systemd) and <c>edgeemo demo</c>:
/// sources -> streaming pipeline -> durable queue -> MQTT, with retained status on every change
/// of the modalities' states and periodic health.
/// </summary>
public sealed partial class AgentRunner(AgentConfig config, string baseDirectory, ILoggerFactory loggers, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider clock = timeProvider ?? TimeProvider.System;
    private readonly ILogger logger = loggers.CreateLogger<AgentRunner>();
    private LiveDriver? driver;
    private long outputs;

    /// <summary>Called for every output after it is queued (the demo's console view).</summary>
    public Action<ScoreOutput, long>? OnOutput { get; init; }

    /// <summary>How long ago the pipeline last made progress (the watchdog's measure); null before it starts.</summary>
    public TimeSpan? SinceProgress => driver?.SinceProgress;

    /// <summary>Outputs produced since start.</summary>
    public long Outputs => Interlocked.Read(ref outputs);

    /// <summary>A one-line state for systemd's STATUS= and the demo's header.</summary>
    public string StatusLine { get; private set; } = "starting";

    public MqttPublisher? Publisher { get; private set; }

    public IScoreQueue? Queue { get; private set; }

    public async Task RunAsync(Action? ready, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var pack = ModelPackLoader.Load(Path.Combine(baseDirectory, config.Pack));
        var manifest = pack.Manifest;
        using var sessions = PackSessions.Open(pack, new ModelSessionFactory(config.Inference, loggers.CreateLogger<ModelSessionFactory>()));
        var providers = sessions.All.ToDictionary(s => s.Name, s => s.Provider.ConfigName(), StringComparer.Ordinal);

        var sources = new SourceFactory(config.Sources, manifest, baseDirectory, clock);
        await using var video = sources.Video();
        await using var audio = sources.Audio();
        await using var eda = sources.Eda(out var edaRate);
        using var pipeline = new StreamingPipeline(sessions, config.Streaming, loggers.CreateLogger<StreamingPipeline>(), edaInputSampleRate: edaRate);

        using var queue = new DiskScoreQueue(config.Queue, loggers.CreateLogger<DiskScoreQueue>());
        Queue = queue;
        await using var publisher = new MqttPublisher(config.Mqtt, config.DeviceId, queue, loggers.CreateLogger<MqttPublisher>(), clock);
        Publisher = publisher;
        var status = new StatusTracker(config.DeviceId, manifest, clock);
        publisher.SetStatus(status.Current);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publishing = publisher.RunAsync(stop.Token);

        driver = new LiveDriver(pipeline, new LiveDriverOptions
        {
            SourceLatency = config.Service.SourceLatency,
            BufferLength = config.Service.BufferLength,
        }, loggers.CreateLogger<LiveDriver>(), clock);
        var health = new HealthReporter(config.DeviceId, queue, publisher, providers, clock, started);
        var reporting = ReportHealthAsync(health, stop.Token);

        LogStarted(config.DeviceId, pack.Id, manifest.Version, string.Join(", ", providers.Select(p => $"{p.Key}={p.Value}")), queue.NextSequence);
        ready?.Invoke();
        try
        {
            await foreach (var output in driver.RunAsync(video, audio, eda, cancellationToken))
            {
                var sequence = queue.NextSequence;
                var payload = ScoreJson.SerializeMessage(output, new ScoreEnvelope(sequence, config.DeviceId, clock.GetUtcNow(), pack.Id, manifest.Version, manifest.Task));
                queue.Append(sequence, payload);
                Interlocked.Increment(ref outputs);
                health.Add(output);
                if (status.Update(output))
                {
                    publisher.SetStatus(status.Current);
                    LogModalities(status.Current.State, string.Join(", ", output.Modalities.Select(m => $"{m.Key}={m.Value.State}")));
                }

                StatusLine = $"{pack.Id}: {Outputs} outputs, last {output.Status}, queue {queue.Depth}, mqtt {(publisher.Connected ? "connected" : "disconnected")}";
                OnOutput?.Invoke(output, sequence);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            LogStopping(Outputs, queue.Depth);
            await stop.CancelAsync();
            await Task.WhenAll(Quietly(reporting), Quietly(publishing));
            await publisher.StopAsync(CancellationToken.None);
        }
    }

    private async Task ReportHealthAsync(HealthReporter health, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(config.Mqtt.HealthInterval, clock);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await health.PublishAsync(driver?.Dropped ?? new Dictionary<string, long>(), cancellationToken);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} scoring with pack {Pack} {Version} ({Providers}); next seq {Sequence}")]
    private partial void LogStarted(string deviceId, string pack, string version, string providers, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status {State}: {Modalities}")]
    private partial void LogModalities(string state, string modalities);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping after {Outputs} outputs; {Depth} messages wait in the queue for the broker")]
    private partial void LogStopping(long outputs, long depth);
}
