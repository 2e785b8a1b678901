using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>
/// Serves <c>ota/request</c>, one request at a time: download (size limit, resume, sha256), install
/// (signature, self-test, atomic switch of <c>active</c>), hot reload between two ticks, then the
/// health gate (N scored outputs within T). A pack that fails the gate is rolled back, reloaded
/// and its version marked bad. Every step and the outcome go out on <c>ota/status</c>.
/// </summary>
internal sealed partial class OtaCoordinator(
    AgentConfig config,
    string baseDirectory,
    PackStore store,
    MqttPublisher publisher,
    AgentRunner runner,
    ILoggerFactory loggers,
    TimeProvider clock)
{
    private readonly ILogger logger = loggers.CreateLogger<OtaCoordinator>();
    private readonly BadVersions bad = new(store.StateDirectory);

    /// <summary>
    /// Makes sure <c>active</c> exists: when the state folder has none, the configured pack is copied
    /// in as the first installed one. Returns the folder to run.
    /// </summary>
    public static string SeedActive(PackStore store, string configuredPack)
    {
        if (store.Resolve(PackStore.ActiveLink) is { } active && Directory.Exists(active))
        {
            return store.ActivePath;
        }

        var pack = ModelPackLoader.Load(configuredPack);
        Directory.CreateDirectory(store.PacksDirectory);
        using (store.Lock())
        {
            var staging = store.CreateStaging();
            foreach (var file in Directory.EnumerateFiles(configuredPack, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(staging, Path.GetRelativePath(configuredPack, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            var folder = store.FreeFolderName(pack.Id, pack.Manifest.Version);
            store.Publish(staging, folder);
            store.Switch(PackStore.ActiveLink, folder);
        }

        return store.ActivePath;
    }

    /// <summary>The file that says a switch awaits its health gate: found at start, the gate was never passed.</summary>
    public static string PendingPath(PackStore store) => Path.Combine(store.StateDirectory, "ota-pending.json");

    /// <summary>
    /// At start, before the pack is opened: if the last run stopped (crash, kill, power loss, an
    /// exception from the new pack) while a switched-to pack awaited its health gate, roll back to
    /// <c>previous</c> and mark that version bad. Returns the status to report once connected, or null.
    /// </summary>
    public static OtaStatusMessage? RecoverPending(PackStore store, string deviceId, TimeProvider clock)
    {
        var path = PendingPath(store);
        if (!File.Exists(path))
        {
            return null;
        }

        OtaStatusMessage? pending = null;
        try
        {
            pending = PublishingJson.DeserializeOtaStatus(File.ReadAllBytes(path));
        }
        catch (System.Text.Json.JsonException)
        {
        }

        var reason = "the agent stopped before the new pack passed its health gate";
        string state = OtaStates.RolledBack;
        try
        {
            PackRollback.Run(store);
        }
        catch (OtaException e)
        {
            state = OtaStates.Failed;
            reason = $"{reason}; and the rollback failed: {e.Message}";
        }

        if (pending?.Version is { } version)
        {
            new BadVersions(store.StateDirectory).Mark(version, reason);
        }

        File.Delete(path);
        return new OtaStatusMessage(deviceId, pending?.RequestId ?? "unknown", pending?.Version, state, null, reason, clock.GetUtcNow());
    }

    /// <summary>A status to publish once connected (from <see cref="RecoverPending"/>).</summary>
    public OtaStatusMessage? Recovered { get; init; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Recovered is { } recovered)
        {
            while (!publisher.Connected)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
            }

            LogState(recovered.RequestId, recovered.State, recovered.Reason ?? "");
            await publisher.PublishOtaStatusAsync(recovered with { At = clock.GetUtcNow() });
        }

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await foreach (var request in publisher.OtaRequests.ReadAllAsync(cancellationToken))
        {
            try
            {
                await HandleAsync(request, http, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                // Never the end of the service: the request failed, scoring goes on.
                LogUnexpected(e);
            }
        }
    }

    private async Task HandleAsync(OtaRequest raw, HttpClient http, CancellationToken cancellationToken)
    {
        OtaRequestMessage? request;
        try
        {
            request = PublishingJson.DeserializeOtaRequest(raw.Payload.Span);
        }
        catch (System.Text.Json.JsonException e)
        {
            await ReportAsync("unknown", null, OtaStates.Failed, null, $"request is not valid JSON: {e.Message}");
            return;
        }

        var id = request?.RequestId ?? request?.Version ?? "unknown";
        if (request?.Url is not { } url || request.Sha256 is not { } sha256 || request.Version is not { } version
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            await ReportAsync(id, request?.Version, OtaStates.Failed, null, "request needs url (absolute http/https), sha256 and version");
            return;
        }

        if (bad.IsBad(version, out var why))
        {
            await ReportAsync(id, version, OtaStates.Failed, null, $"version {version} is marked bad ({why}); not retried automatically");
            return;
        }

        if (ActiveVersion() == version)
        {
            // A retained request comes again on every reconnect: nothing to do.
            await ReportAsync(id, version, OtaStates.Succeeded, 1, $"version {version} is already active");
            return;
        }

        LogRequest(id, version);
        string bundle;
        await ReportAsync(id, version, OtaStates.Downloading, 0, null);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(config.Ota.DownloadTimeout);
            var downloader = new OtaDownloader(http, Path.Combine(store.StateDirectory, "downloads"), config.Ota.MaxDownloadBytes);
            bundle = await downloader.DownloadAsync(uri, sha256, null, timeout.Token);
        }
        catch (Exception e) when (e is OtaDownloadException or HttpRequestException or IOException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await ReportAsync(id, version, OtaStates.Failed, null, $"download: {(e is OperationCanceledException ? $"no complete download within {config.Ota.DownloadTimeout}" : e.Message)}");
            return;
        }

        await ReportAsync(id, version, OtaStates.Installing, 1, null);
        InstallOutcome outcome;
        try
        {
            using var trusted = TrustedKeys.Load(Path.Combine(baseDirectory, config.Ota.TrustedKeys), config.Ota.AllowedSigners);
            var warmup = new EngineWarmup(new ModelSessionFactory(config.Inference, loggers.CreateLogger<ModelSessionFactory>()), loggers);
            outcome = await new PackInstaller(store, trusted, warmup, allowDowngrade: false).InstallAsync(bundle, cancellationToken);
        }
        catch (OtaException e)
        {
            await ReportAsync(id, version, OtaStates.Failed, null, $"install refused ({OtaException.CheckName(e.Check)}): {e.Message}");
            return;
        }
        finally
        {
            TryDelete(bundle);
        }

        if (outcome.Version != version)
        {
            LogVersionDiffers(version, outcome.Version);
        }

        await ReportAsync(id, outcome.Version, OtaStates.Switching, null, null);
        var gate = new HealthGate(config.Ota.HealthGate.Outputs);
        var pending = PendingPath(store);
        await File.WriteAllBytesAsync(pending, PublishingJson.Serialize(new OtaStatusMessage(config.DeviceId, id, outcome.Version, OtaStates.Gated, null, null, clock.GetUtcNow())), cancellationToken);
        try
        {
            await runner.SwitchPackAsync(outcome.Active, gate, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RollBackAsync(id, outcome.Version, $"the new pack did not start: {e.Message}", cancellationToken);
            return;
        }

        await ReportAsync(id, outcome.Version, OtaStates.Gated, null, $"waiting for {config.Ota.HealthGate.Outputs} scored outputs within {config.Ota.HealthGate.Within}");
        var passed = await Task.WhenAny(gate.Passed, Task.Delay(config.Ota.HealthGate.Within, clock, cancellationToken)) == gate.Passed;
        runner.ClearGate();
        cancellationToken.ThrowIfCancellationRequested();
        if (passed)
        {
            File.Delete(pending);
            LogSucceeded(outcome.PackId, outcome.Version);
            await ReportAsync(id, outcome.Version, OtaStates.Succeeded, 1, null);
            return;
        }

        await RollBackAsync(id, outcome.Version,
            $"health gate: {gate.Seen} of {config.Ota.HealthGate.Outputs} scored outputs within {config.Ota.HealthGate.Within}", cancellationToken);
    }

    private string? ActiveVersion()
    {
        try
        {
            return store.Resolve(PackStore.ActiveLink) is { } active ? ModelPackLoader.Load(active).Manifest.Version : null;
        }
        catch (ModelPackException)
        {
            return null;
        }
    }

    private async Task RollBackAsync(string id, string version, string reason, CancellationToken cancellationToken)
    {
        LogRollingBack(version, reason);
        bad.Mark(version, reason);
        try
        {
            var (active, _) = PackRollback.Run(store);
            await runner.SwitchPackAsync(active, null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await ReportAsync(id, version, OtaStates.Failed, null, $"{reason}; and the rollback failed: {e.Message}");
            return;
        }

        File.Delete(PendingPath(store));
        await ReportAsync(id, version, OtaStates.RolledBack, null, reason);
    }

    private async Task ReportAsync(string id, string? version, string state, double? progress, string? reason)
    {
        LogState(id, state, reason ?? "");
        await publisher.PublishOtaStatusAsync(new OtaStatusMessage(config.DeviceId, id, version, state, progress, reason, clock.GetUtcNow()));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA request {Id}: version {Version}")]
    private partial void LogRequest(string id, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA {Id}: {State} {Reason}")]
    private partial void LogState(string id, string state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA request said version {Requested}, the bundle held {Installed}")]
    private partial void LogVersionDiffers(string requested, string installed);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA: pack {Pack} {Version} passed the health gate")]
    private partial void LogSucceeded(string pack, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA: rolling back {Version}: {Reason}")]
    private partial void LogRollingBack(string version, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA request failed unexpectedly")]
    private partial void LogUnexpected(Exception exception);
}
