using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Faces;
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
    private LivePack? live;
    private HealthGate? gate;

    /// <summary>
    /// True where synthetic or file sources are the point (the demo): the start-up line that names
    /// them is information, not a warning.
    /// </summary>
    public bool SimulatedSourcesExpected { get; init; }

    /// <summary>Called for every output after it is queued (the demo's console view).</summary>
    public Action<ScoreOutput, long>? OnOutput { get; init; }

    /// <summary>How long ago the pipeline last made progress (the watchdog's measure); null before it starts.</summary>
    public TimeSpan? SinceProgress => driver?.SinceProgress;

    /// <summary>
    /// Messages not delivered when the run stopped (on disk for the next start, or held in memory
    /// and lost with a disk that refused them); null while running. What <c>run</c> logs and the
    /// demo prints on stopping.
    /// </summary>
    public long? Undelivered { get; private set; }

    /// <summary>Outputs produced since start.</summary>
    public long Outputs => Interlocked.Read(ref outputs);

    /// <summary>A one-line state for systemd's STATUS= and the demo's header.</summary>
    public string StatusLine { get; private set; } = "starting";

    public MqttPublisher? Publisher { get; private set; }

    public IScoreQueue? Queue { get; private set; }

    public async Task RunAsync(Action? ready, CancellationToken cancellationToken)
    {
        PackStore? store = null;
        OtaStatusMessage? recovered = null;
        var packPath = Path.Combine(baseDirectory, config.Pack);
        if (config.Ota.Enabled)
        {
            store = new PackStore(Path.Combine(baseDirectory, config.Ota.StateDirectory));
            recovered = OtaCoordinator.RecoverPending(store, config.DeviceId, clock);
            packPath = OtaCoordinator.SeedActive(store, packPath);
        }

        using var first = OpenPack(packPath);
        live = first;
        var pack = first.Pack;
        var manifest = pack.Manifest;
        var sessions = first.Sessions;
        var providers = first.Providers;

        var sources = new SourceFactory(config.Sources, manifest, baseDirectory, clock, loggers);
        await using var video = sources.Video();
        await using var audio = sources.Audio();
        await using var eda = sources.Eda(out var edaRate);
        edaSampleRate = edaRate;
        var pipeline = first.Pipeline = NewPipeline(sessions);

        using var queue = new DiskScoreQueue(config.Queue, loggers.CreateLogger<DiskScoreQueue>());
        Queue = queue;
        await using var publisher = new MqttPublisher(config.Mqtt, config.DeviceId, queue, loggers.CreateLogger<MqttPublisher>(), clock);
        Publisher = publisher;
        var status = new StatusTracker(config.DeviceId, manifest, first.Sources, clock);
        publisher.SetStatus(status.Current);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publishing = publisher.RunAsync(stop.Token);

        driver = new LiveDriver(pipeline, new LiveDriverOptions
        {
            SourceLatency = config.Service.SourceLatency,
            BufferLength = config.Service.BufferLength,
        }, loggers.CreateLogger<LiveDriver>(), clock);
        var latencies = new StageLatencyWindow();
        var missing = new MissingClipCounter();
        var healthMessages = new HealthMessageBuilder(config.DeviceId, queue, publisher, new ThermalZoneReader(), latencies, clock);
        var reporting = new HealthReporter(config.Mqtt, publisher, () =>
        {
            var running = Volatile.Read(ref live)!;
            return healthMessages.Build(running.Providers, DroppedByModality(running, driver.Dropped), missing);
        }, clock).RunAsync(stop.Token);
        var ota = store is null
            ? Task.CompletedTask
            : new OtaCoordinator(config, baseDirectory, store, publisher, this, loggers, clock) { Recovered = recovered }.RunAsync(stop.Token);

        var providerList = string.Join(", ", providers.Select(p => $"{p.Key}={p.Value}"));
        LogStarted(config.DeviceId, pack.Id, manifest.Version, providerList, queue.NextSequence);
        WarnIfNotSensors(first.Sources);
        ready?.Invoke();
        try
        {
            await foreach (var output in driver.RunAsync(video, audio, eda, cancellationToken))
            {
                var current = live!.Pack;
                if (pendingStatusSwitch is { } switched)
                {
                    pendingStatusSwitch = null;
                    status.SwitchPack(switched.Pack.Manifest, switched.Sources);
                }

                var sequence = queue.NextSequence;
                byte[] payload;
                try
                {
                    payload = ScoreJson.SerializeMessage(output, new ScoreEnvelope(sequence, config.DeviceId, clock.GetUtcNow(), current.Id, current.Manifest.Version, current.Manifest.Task, live.Sources));
                }
                catch (InvalidDataException e)
                {
                    // The last guard: an output with a non-finite number is not published (nor fatal).
                    LogUnpublishable(e.Message);
                    continue;
                }

                queue.Append(sequence, payload);
                Interlocked.Increment(ref outputs);
                Volatile.Read(ref gate)?.Observe(output);
                RecordLatency(latencies, output);
                missing.Observe(output);
                var modalitiesChanged = status.Update(output);
                if (status.UpdateQueue(queue, config.Mqtt.HealthInterval) | modalitiesChanged)
                {
                    publisher.SetStatus(status.Current);
                }

                if (modalitiesChanged && logger.IsEnabled(LogLevel.Information))
                {
                    var states = string.Join(", ", output.Modalities.Select(m => $"{m.Key}={m.Value.State}{(m.Value.Reason is { } r ? $" ({r})" : "")}"));
                    LogModalities(status.Current.State, states);
                }

                StatusLine = $"{current.Id} {current.Manifest.Version}: {Outputs} outputs, last {output.Status}, queue {queue.Depth}{(queue.WriteError is null ? "" : " (disk refuses writes)")}, mqtt {(publisher.Connected ? "connected" : "disconnected")}";
                OnOutput?.Invoke(output, sequence);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(Quietly(reporting), Quietly(ota), Quietly(publishing));
            await publisher.StopAsync(CancellationToken.None);

            // Counted once the publisher is done: what it delivered while stopping is not left.
            Undelivered = queue.Depth;
            var inMemory = queue.Unwritten;
            if (inMemory == 0)
            {
                LogStopping(Outputs, Undelivered.Value);
            }
            else
            {
                LogStoppingWithUnwritten(Outputs, Undelivered.Value - inMemory, inMemory);
            }
            if (!ReferenceEquals(live, first))
            {
                live?.Dispose();
            }
        }
    }

    private double? edaSampleRate;
    private LivePack? pendingStatusSwitch;

    /// <summary>Loads a pack and opens its sessions (its pipeline is made by <see cref="NewPipeline"/>).</summary>
    internal LivePack OpenPack(string folder)
    {
        var pack = ModelPackLoader.Load(folder);
        var sessions = PackSessions.Open(pack, new ModelSessionFactory(config.Inference, loggers.CreateLogger<ModelSessionFactory>()));
        var providers = sessions.All.ToDictionary(s => s.Name, s => s.Provider.ConfigName(), StringComparer.Ordinal);
        return new LivePack(pack, sessions, providers, SourceFactory.Kinds(config.Sources, pack.Manifest));
    }

    internal StreamingPipeline NewPipeline(PackSessions sessions) =>
        new(sessions, config.Streaming, loggers.CreateLogger<StreamingPipeline>(), edaInputSampleRate: edaSampleRate,
            faceModels: new FaceModelFolder(config.Faces.ModelsDirectory, new ModelSessionFactory(config.Inference, loggers.CreateLogger<ModelSessionFactory>())));

    /// <summary>
    /// Opens the pack at <paramref name="folder"/> off the scoring loop and has the loop switch to it
    /// between two ticks (queue and seq continue). Completes once the loop runs it; the old pack is
    /// disposed there. <paramref name="gateFor"/>, when given, counts the new pack's outputs from its first.
    /// </summary>
    internal async Task SwitchPackAsync(string folder, HealthGate? gateFor, CancellationToken cancellationToken)
    {
        var running = driver ?? throw new InvalidOperationException("the pipeline is not running");
        var next = OpenPack(folder);
        var switched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            next.Pipeline = NewPipeline(next.Sessions);
            running.ReplacePipeline(next.Pipeline, _ =>
            {
                var old = live;
                Volatile.Write(ref live, next);
                Volatile.Write(ref gate, gateFor);
                pendingStatusSwitch = next;
                LogSwitched(next.Pack.Id, next.Pack.Manifest.Version);
                if (old is not null)
                {
                    old.Dispose();
                }

                switched.TrySetResult();
            });
        }
        catch
        {
            next.Dispose();
            throw;
        }

        await switched.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops counting outputs for a gate.</summary>
    internal void ClearGate() => Volatile.Write(ref gate, null);

    // Every message says where each modality comes from; the log says it once, at start, so whoever
    // reads the journal of a device publishing invented or recorded scores sees it too.
    private void WarnIfNotSensors(IReadOnlyDictionary<string, SourceKind> sources)
    {
        var notSensors = sources.Where(s => s.Value is SourceKind.Synthetic or SourceKind.File).Select(s => $"{s.Key}={s.Value.Name()}").ToList();
        if (notSensors.Count == 0)
        {
            return;
        }

        var list = string.Join(", ", notSensors);
        if (SimulatedSourcesExpected)
        {
            LogSimulatedSourcesExpected(list);
        }
        else
        {
            LogSimulatedSources(list);
        }
    }

    /// <summary>Samples each modality's buffer dropped, by the pack's modality names (visual, audio, eda), as every message names them.</summary>
    private static Dictionary<string, long> DroppedByModality(LivePack pack, IReadOnlyDictionary<string, long> droppedByKind) =>
        droppedByKind.ToDictionary(
            d => pack.Pack.Manifest.Modalities.FirstOrDefault(m => m.Kind == d.Key)?.Name ?? d.Key,
            d => d.Value,
            StringComparer.Ordinal);

    // Health reports the mean of each stage over its interval.
    private static void RecordLatency(StageLatencyWindow window, ScoreOutput output)
    {
        foreach (var (name, ms) in output.Latency.PreprocessMs)
        {
            window.Add($"{name}Preprocess", ms);
        }

        foreach (var (name, ms) in output.Latency.BackboneMs)
        {
            window.Add($"{name}Backbone", ms);
        }

        window.Add("faceDetection", output.Latency.FaceDetectionMs);
        window.Add("fusion", output.Latency.FusionMs);
        window.Add("total", output.Latency.TotalMs);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not a patient's signal: {Modalities} (synthetic or recorded sources); every score and status message marks them (modalities.<name>.source). A device at a bedside uses device sources (docs/config.md)")]
    private partial void LogSimulatedSources(string modalities);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring synthetic or recorded sources: {Modalities}; every message marks them (modalities.<name>.source)")]
    private partial void LogSimulatedSourcesExpected(string modalities);

    [LoggerMessage(Level = LogLevel.Information, Message = "Switched to pack {Pack} {Version} between two ticks; seq continues")]
    private partial void LogSwitched(string pack, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Output not published: {Problem}")]
    private partial void LogUnpublishable(string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status {State}: {Modalities}")]
    private partial void LogModalities(DeviceState state, string modalities);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped after {Outputs} outputs; {Depth} messages wait in the queue for the broker")]
    private partial void LogStopping(long outputs, long depth);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped after {Outputs} outputs; {Depth} messages wait in the queue for the broker, {Unwritten} more were held in memory only (the disk refuses writes) and are lost unless it takes them now")]
    private partial void LogStoppingWithUnwritten(long outputs, long depth, long unwritten);
}
