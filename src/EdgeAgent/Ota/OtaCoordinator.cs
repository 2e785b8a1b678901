using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Runtime.Configuration;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>
/// Serves <c>ota/request</c>, one request at a time (requests that wait behind it are answered, the
/// newest served): download (size limit, resume, sha256), install
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

    private readonly OtaStatusReporter status = new(config.DeviceId, publisher, loggers.CreateLogger<OtaStatusReporter>(), clock);

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
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            // Unreadable: the rollback below still happens; the report cannot name the request.
        }

        var packId = PackIdOf(store.Resolve(PackStore.ActiveLink));
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
            new BadVersions(store.StateDirectory).Mark(new BadVersion(packId, version, null, reason));
        }

        File.Delete(path);
        return new OtaStatusMessage(deviceId, PrintableText.Escape(pending?.RequestId ?? OtaRequestRead.UnknownId, OtaRequestRead.MaxRequestIdLength),
            pending?.Version is { } v ? PrintableText.Escape(v, PackVersion.MaxLength) : null, state, null, reason, clock.GetUtcNow());
    }

    private static string? PackIdOf(string? folder)
    {
        try
        {
            return folder is null ? null : ManifestReader.ReadFile(Path.Combine(folder, ManifestReader.FileName)).Id;
        }
        catch (ModelPackException)
        {
            return null;
        }
    }

    /// <summary>A status to publish once connected (from <see cref="RecoverPending"/>).</summary>
    public OtaStatusMessage? Recovered { get; init; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Recovered is { } recovered)
        {
            // Before the first connection this waits as undelivered, and goes out once connected.
            await status.PublishAsync(recovered with { At = clock.GetUtcNow() });
        }

        // Redirects are followed by the downloader, which refuses any but http(s) with a clear reason.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var requests = publisher.OtaRequests;
        Task<bool>? next = null;
        while (true)
        {
            next ??= requests.WaitToReadAsync(cancellationToken).AsTask();
            if (status.HasUndelivered
                && await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken)) != next)
            {
                // A status the broker did not take waits: look for the broker once a second.
                await status.RedeliverAsync();
                continue;
            }

            if (!await next)
            {
                return;
            }

            next = null;

            // Everything that arrived while the last request ran: each is answered; of those that
            // pass their checks only the newest is served, the older ones are superseded by it.
            var valid = new List<OtaWork>();
            while (requests.TryRead(out var raw))
            {
                var read = OtaRequestRead.From(raw.Payload.Span, raw.ReceivedBytes);
                if (read.Work is { } work)
                {
                    valid.Add(work);
                }
                else
                {
                    await status.ReportAsync(read.Id, read.Version, OtaStates.Failed, null, read.Refusal);
                }
            }

            foreach (var older in valid.SkipLast(1))
            {
                await status.ReportAsync(older.Id, older.Version, OtaStates.Failed, null,
                    $"superseded by request '{valid[^1].Id}', which came later");
            }

            if (valid.Count > 0)
            {
                await ServeAsync(valid[^1], http, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The one place that guarantees a final status: whatever a request's steps throw (or a stop
    /// interrupts), its last retained <c>ota/status</c> is succeeded, failed or rolled-back.
    /// </summary>
    private async Task ServeAsync(OtaWork work, HttpClient http, CancellationToken cancellationToken)
    {
        status.NewRequest();
        string? failure = null;
        try
        {
            await HandleAsync(work, http, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failure = status.Last?.State == OtaStates.Gated
                ? "the agent stopped during the health gate; the next start rolls the pack back"
                : "the agent stopped before the request ended";
            throw;
        }
        catch (Exception e)
        {
            // Never the end of the service: the request failed, scoring goes on.
            failure = $"{status.Last?.State ?? "request"} failed: {e.Message}";
            LogUnexpected(work.Id, status.Last?.State ?? "request", e.GetType().Name, PrintableText.Escape(e.Message, 500));
            LogUnexpectedDetail(e);
        }
        finally
        {
            if (status.Last is not { State: OtaStates.Succeeded or OtaStates.Failed or OtaStates.RolledBack })
            {
                try
                {
                    await status.ReportAsync(work.Id, status.Last?.Version ?? work.Version, OtaStates.Failed, null, failure ?? "the request ended without an outcome");
                }
                catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException or InvalidOperationException)
                {
                    // Stopping: the broker keeps the last step; the next start reports what it finds.
                }
            }
        }
    }

    private async Task HandleAsync(OtaWork work, HttpClient http, CancellationToken cancellationToken)
    {
        var (id, version, sha256) = (work.Id, work.Version, work.Sha256);
        if (bad.FindBundle(sha256, out var badListProblem) is { } badBundle)
        {
            await status.ReportAsync(id, version, OtaStates.Failed, null, $"{Describe(badBundle)} is marked bad ({badBundle.Reason}); not retried automatically");
            return;
        }

        if (badListProblem is not null)
        {
            LogBadListUnreadable(badListProblem);
        }

        if (ActiveVersion() == version)
        {
            // A retained request comes again on every reconnect: nothing to do.
            await status.ReportAsync(id, version, OtaStates.Succeeded, 1, $"version {version} is already active");
            return;
        }

        LogRequest(id, version);
        string bundle;
        await status.ReportAsync(id, version, OtaStates.Downloading, 0, null);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(config.Ota.DownloadTimeout);
            var downloader = new OtaDownloader(http, Path.Combine(store.StateDirectory, "downloads"), config.Ota.MaxDownloadBytes);
            bundle = await downloader.DownloadAsync(work.Url, sha256, null, timeout.Token);
        }
        catch (Exception e) when (e is OtaDownloadException or HttpRequestException or IOException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await status.ReportAsync(id, version, OtaStates.Failed, null, $"download: {(e is OperationCanceledException ? $"no complete download within {config.Ota.DownloadTimeout}" : e.Message)}");
            return;
        }

        await status.ReportAsync(id, version, OtaStates.Installing, 1, null);
        InstallOutcome outcome;
        try
        {
            using var trusted = TrustedKeys.Load(Path.Combine(baseDirectory, config.Ota.TrustedKeys), config.Ota.AllowedSigners);
            if (await FindBadPackAsync(bundle, trusted, cancellationToken) is { } badPack)
            {
                await status.ReportAsync(id, badPack.Version, OtaStates.Failed, null,
                    $"the bundle holds {Describe(badPack)}, which is marked bad ({badPack.Reason}); not retried automatically");
                return;
            }

            var warmup = new EngineWarmup(new ModelSessionFactory(config.Inference, loggers.CreateLogger<ModelSessionFactory>()), loggers, config.Faces.ModelsDirectory);
            outcome = await new PackInstaller(store, trusted, warmup, allowDowngrade: false).InstallAsync(bundle, cancellationToken);
        }
        catch (OtaException e)
        {
            await status.ReportAsync(id, version, OtaStates.Failed, null, $"install refused ({OtaException.CheckName(e.Check)}): {e.Message}");
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

        var installed = new BadVersion(outcome.PackId, outcome.Version, sha256, "");
        await status.ReportAsync(id, outcome.Version, OtaStates.Switching, null, null);
        var gate = new HealthGate(config.Ota.HealthGate.Outputs);
        var pending = PendingPath(store);
        await File.WriteAllBytesAsync(pending, PublishingJson.Serialize(new OtaStatusMessage(config.DeviceId, id, outcome.Version, OtaStates.Gated, null, null, clock.GetUtcNow())), cancellationToken);
        try
        {
            await runner.SwitchPackAsync(outcome.Active, gate, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RollBackAsync(id, installed with { Reason = $"the new pack did not start: {e.Message}" }, cancellationToken);
            return;
        }

        await status.ReportAsync(id, outcome.Version, OtaStates.Gated, null, $"waiting for {config.Ota.HealthGate.Outputs} scored outputs within {config.Ota.HealthGate.Within}");
        var passed = await Task.WhenAny(gate.Passed, Task.Delay(config.Ota.HealthGate.Within, clock, cancellationToken)) == gate.Passed;
        runner.ClearGate();
        cancellationToken.ThrowIfCancellationRequested();
        if (passed)
        {
            File.Delete(pending);
            LogSucceeded(outcome.PackId, outcome.Version);
            await status.ReportAsync(id, outcome.Version, OtaStates.Succeeded, 1, null);
            return;
        }

        await RollBackAsync(id, installed with
        {
            Reason = $"health gate: {gate.Seen} of {config.Ota.HealthGate.Outputs} scored outputs within {config.Ota.HealthGate.Within}",
        }, cancellationToken);
    }

    /// <summary>The bad-list entry the bundle's signed pack id and version match, or null; reads only bundle.json and its signature.</summary>
    private async Task<BadVersion?> FindBadPackAsync(string bundle, TrustedKeys trusted, CancellationToken cancellationToken)
    {
        await using var reader = await BundleReader.OpenAsync(bundle, trusted, cancellationToken);
        return bad.FindPack(reader.Manifest.PackId, reader.Manifest.PackVersion, out _);
    }

    private static string Describe(BadVersion entry) =>
        $"{(entry.PackId is null ? "version" : entry.PackId)} {entry.Version}";

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

    private async Task RollBackAsync(string id, BadVersion failed, CancellationToken cancellationToken)
    {
        var (version, reason) = (failed.Version, failed.Reason);
        LogRollingBack(version, reason);
        bad.Mark(failed);
        try
        {
            var (active, _) = PackRollback.Run(store);
            await runner.SwitchPackAsync(active, null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await status.ReportAsync(id, version, OtaStates.Failed, null, $"{reason}; and the rollback failed: {e.Message}");
            return;
        }

        File.Delete(PendingPath(store));
        await status.ReportAsync(id, version, OtaStates.RolledBack, null, reason);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA request said version {Requested}, the bundle held {Installed}")]
    private partial void LogVersionDiffers(string requested, string installed);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA: pack {Pack} {Version} passed the health gate")]
    private partial void LogSucceeded(string pack, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA: rolling back {Version}: {Reason}")]
    private partial void LogRollingBack(string version, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA request {Id} failed unexpectedly while {State}: {Error}: {Message}")]
    private partial void LogUnexpected(string id, string state, string error, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "OTA request failure detail")]
    private partial void LogUnexpectedDetail(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA: {Problem}")]
    private partial void LogBadListUnreadable(string problem);
}
