using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>The steps of an install, in order; a crash after any of them leaves <c>active</c> at a whole pack.</summary>
public enum InstallStep
{
    Verify,
    Unpack,
    SelfTest,
    LinkNew,
    SwapActive,
    SwapPrevious,
    Cleanup,
}

/// <summary>What an install did.</summary>
internal sealed record InstallOutcome(string PackId, string Version, string Active, string? Previous, IReadOnlyList<ModelReport> Models);

/// <summary>
/// Installs a signed bundle into a <see cref="PackStore"/>: verify signature, unpack with per-entry
/// checks into staging, refuse downgrades, load and self-test the staged pack, then publish it and
/// switch <c>active</c> (and <c>previous</c>) atomically. Every refusal is an <see cref="OtaException"/>
/// naming its check, and leaves <c>active</c> as it was. The self-test opens the staged pack through
/// <see cref="EngineWarmup"/>, so TensorRT builds the new engines while staging, not on the service's
/// hot path; once the links are switched, engine cache folders no linked pack needs are removed.
/// </summary>
internal sealed class PackInstaller(
    PackStore store,
    TrustedKeys trusted,
    EngineWarmup warmup,
    bool allowDowngrade,
    long maxEntryBytes = BundleFormat.DefaultMaxEntryBytes,
    Action<InstallStep>? afterStep = null)
{
    public async Task<InstallOutcome> InstallAsync(string bundlePath, CancellationToken cancellationToken)
    {
        using var storeLock = store.Lock();
        store.RemoveLeftovers();

        await using var bundle = await BundleReader.OpenAsync(bundlePath, trusted, cancellationToken);
        afterStep?.Invoke(InstallStep.Verify);

        var staging = store.CreateStaging();
        try
        {
            await bundle.UnpackAsync(staging, maxEntryBytes, cancellationToken);
            afterStep?.Invoke(InstallStep.Unpack);

            var pack = LoadStaged(staging, bundle.Manifest);
            CheckDowngrade(pack);
            var models = SelfTest(staging, cancellationToken);
            afterStep?.Invoke(InstallStep.SelfTest);

            var folder = store.FreeFolderName(pack.Id, pack.Manifest.Version);
            store.Publish(staging, folder);
            afterStep?.Invoke(InstallStep.LinkNew);

            var old = store.Target(PackStore.ActiveLink);
            store.Switch(PackStore.ActiveLink, folder);
            afterStep?.Invoke(InstallStep.SwapActive);

            if (old is not null && old != folder)
            {
                store.Switch(PackStore.PreviousLink, old);
            }

            afterStep?.Invoke(InstallStep.SwapPrevious);

            store.RemoveLeftovers();
            warmup.CleanCache(store.LinkedManifests());
            afterStep?.Invoke(InstallStep.Cleanup);
            return new InstallOutcome(pack.Id, pack.Manifest.Version, store.Resolve(PackStore.ActiveLink)!, store.Resolve(PackStore.PreviousLink), models);
        }
        catch
        {
            // A refusal or an error leaves nothing behind (once published, staging is gone already);
            // only a process crash leaves staging, for the next install to remove.
            TryDelete(staging);
            throw;
        }
    }

    private static ModelPack LoadStaged(string staging, BundleManifest bundle)
    {
        ModelPack pack;
        try
        {
            pack = ModelPackLoader.Load(staging);
        }
        catch (ModelPackException e)
        {
            throw new OtaException(OtaCheck.Pack, $"the unpacked pack does not load ({e.Kind}): {e.Message}", e);
        }

        if (pack.Id != bundle.PackId || pack.Manifest.Version != bundle.PackVersion)
        {
            throw new OtaException(OtaCheck.Pack,
                $"manifest.json says {pack.Id} {pack.Manifest.Version} but {BundleFormat.ManifestEntry} says {bundle.PackId} {bundle.PackVersion}");
        }

        return pack;
    }

    private void CheckDowngrade(ModelPack incoming)
    {
        if (store.Resolve(PackStore.ActiveLink) is not { } activeDir || !File.Exists(Path.Combine(activeDir, ManifestReader.FileName)))
        {
            return;
        }

        PackManifest active;
        try
        {
            active = ManifestReader.ReadFile(Path.Combine(activeDir, ManifestReader.FileName));
        }
        catch (ModelPackException)
        {
            return; // A broken active pack is no reason to refuse its replacement.
        }

        if (active.Id != incoming.Id)
        {
            return; // Versions of different packs do not compare.
        }

        if (!PackVersion.TryParse(incoming.Manifest.Version, out var newVersion))
        {
            throw new OtaException(OtaCheck.Downgrade, $"pack version '{incoming.Manifest.Version}' is not a semantic version");
        }

        if (!allowDowngrade && PackVersion.TryParse(active.Version, out var activeVersion) && PackVersion.Compare(newVersion, activeVersion) <= 0)
        {
            throw new OtaException(OtaCheck.Downgrade,
                $"{incoming.Id} {incoming.Manifest.Version} is not newer than the active {active.Version}; pass --allow-downgrade to install it anyway");
        }
    }

    private List<ModelReport> SelfTest(string staging, CancellationToken cancellationToken)
    {
        var report = ModelsCommand.Verify(staging, warmup, cancellationToken);
        if (report.Error is { } error)
        {
            // The message names the file already (ModelPackException: "<location>: <why>").
            throw new OtaException(OtaCheck.SelfTest, $"{error.Kind}: {error.Message}");
        }

        if (report.Models.FirstOrDefault(m => !m.Passed) is { } failed)
        {
            throw new OtaException(OtaCheck.SelfTest,
                $"model '{failed.Model}' ({failed.File}) on {failed.Provider}: {failed.Problem ?? $"max abs error {failed.MaxAbsError:g3} above tolerance {failed.Tolerance:g3}"}");
        }

        if (!report.Ok)
        {
            throw new OtaException(OtaCheck.SelfTest, "the pack has no golden cases");
        }

        return report.Models.ToList();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next install's cleanup.
        }
    }
}

/// <summary>Swaps <c>active</c> and <c>previous</c>, after checking that <c>previous</c> is a whole pack.</summary>
internal static class PackRollback
{
    public static (string Active, string Previous) Run(PackStore store)
    {
        using var storeLock = store.Lock();
        var active = store.Target(PackStore.ActiveLink);
        var previous = store.Target(PackStore.PreviousLink)
            ?? throw new OtaException(OtaCheck.State, $"no previous pack recorded in {store.PacksDirectory}; nothing to roll back to");
        try
        {
            ModelPackLoader.Load(Path.GetFullPath(previous, store.PacksDirectory));
        }
        catch (ModelPackException e)
        {
            throw new OtaException(OtaCheck.Pack, $"the previous pack {previous} does not load ({e.Kind}): {e.Message}", e);
        }

        store.Switch(PackStore.ActiveLink, previous);
        if (active is not null)
        {
            store.Switch(PackStore.PreviousLink, active);
        }

        return (store.Resolve(PackStore.ActiveLink)!, store.Resolve(PackStore.PreviousLink)!);
    }
}
