using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>One model opened by a warm-up: where it runs, in what precision, and what its engine cost.</summary>
public sealed record ModelWarmup(
    int Index,
    int Count,
    string Model,
    string File,
    ExecutionProviderKind Provider,
    string Precision,
    TensorRtEngine? Engine,
    TimeSpan Elapsed);

/// <summary>Receives a warm-up's progress as it happens, synchronously on the warming thread.</summary>
public interface IWarmupProgress
{
    /// <summary>Model <paramref name="index"/> of <paramref name="count"/> is about to open (on TensorRT, an engine build may take minutes).</summary>
    void Opening(int index, int count, string model, string file);

    void Opened(ModelWarmup model);
}

/// <summary>What a cache clean did: the folders removed, or why it did not run.</summary>
public sealed record EngineCacheCleanup(string Root, IReadOnlyList<string> Removed, string? SkippedBecause);

/// <summary>A pack's models opened by a warm-up, with the agent's face models when its face recipe needs them.</summary>
public sealed class WarmedPack : IDisposable
{
    internal WarmedPack(PackSessions sessions, FaceModels? faces)
    {
        Sessions = sessions;
        Faces = faces;
    }

    public PackSessions Sessions { get; }

    /// <summary>The face detector and landmark net, opened and checked against their goldens; null when the pack does not use them.</summary>
    public FaceModels? Faces { get; }

    /// <summary>Every session in the order they opened: the pack's (<see cref="PackSessions.All"/>), then the face models'.</summary>
    public IEnumerable<ModelSession> All => Faces is null ? Sessions.All : Sessions.All.Concat(Faces.All);

    /// <summary>A pack model's or a face model's session, by its name.</summary>
    public ModelSession this[string model] => Faces?.All.FirstOrDefault(s => s.Name == model) ?? Sessions[model];

    public void Dispose()
    {
        Sessions.Dispose();
        Faces?.Dispose();
    }
}

/// <summary>
/// Opens every model of a pack on the configured providers, one at a time with progress per
/// model; on TensorRT that builds each engine into its keyed cache folder or loads it from there.
/// A pack whose face recipe uses the trained detector also opens the agent's face models
/// (<see cref="FaceModels"/>: detector and landmarks), so their engines are built at staging too.
/// `models warmup`, `models verify` and the OTA staging step all open packs through it, so the
/// engines the staging step builds are the ones the service later finds. Also cleans the cache.
/// </summary>
public sealed partial class EngineWarmup
{
    private readonly ModelSessionFactory factory;
    private readonly EngineCacheCleaner cleaner;
    private readonly ILogger logger;
    private readonly string? faceModelsDirectory;

    /// <param name="faceModelsDirectory">
    /// The face models folder the service opens (<c>faces.modelsDirectory</c>, <c>--face-models</c>).
    /// Null: face models are neither opened nor kept by the cache clean (a pack import's self-test).
    /// </param>
    public EngineWarmup(ModelSessionFactory factory, ILoggerFactory loggers, string? faceModelsDirectory = null)
    {
        this.factory = factory;
        this.faceModelsDirectory = faceModelsDirectory is null ? null : Path.GetFullPath(faceModelsDirectory);
        cleaner = new EngineCacheCleaner(loggers.CreateLogger<EngineCacheCleaner>());
        logger = loggers.CreateLogger<EngineWarmup>();
    }

    /// <summary>The cache root engines are built under.</summary>
    public string CacheRoot => ProviderOptionsMapping.EngineCacheRoot(factory.Options);

    /// <summary>The face models folder, absolute; null when this warm-up does not open face models.</summary>
    public string? FaceModelsDirectory => faceModelsDirectory;

    /// <summary>
    /// Opens the pack's models in order (backbones, imagination, fusion), then, when its face
    /// recipe uses the trained detector and a face models folder is set, the face detector and
    /// landmark net, which also run their golden cases.
    /// </summary>
    /// <exception cref="ModelPackException">A model file is bad or disagrees with the manifest, or a face model is missing or fails its golden.</exception>
    /// <exception cref="ExecutionProviderException">No configured provider could run a model.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between two models (an engine build itself is not interruptible).</exception>
    public WarmedPack Open(ModelPack pack, IWarmupProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var faces = faceModelsDirectory is not null && FaceRecipes.NeedFaceModels(pack.Manifest);
        var count = PackSessions.Models(pack.Manifest).Count + (faces ? 2 : 0);
        var index = 0;
        ModelSession OpenOne(ModelPack owner, string name, ModelFileSpec spec)
        {
            cancellationToken.ThrowIfCancellationRequested();
            index++;
            LogOpening(index, count, name, spec.File, owner.Id);
            progress?.Opening(index, count, name, spec.File);
            var session = factory.Open(owner, name, spec);
            var warmed = new ModelWarmup(index, count, name, spec.File, session.Provider, session.Precision, session.Engine, session.OpenTime);
            var provider = session.Provider.ConfigName();
            LogOpened(index, count, name, provider, session.Precision,
                session.Engine?.StateName ?? "none", session.Engine?.CacheFolder ?? "-", session.OpenTime.TotalSeconds);
            progress?.Opened(warmed);
            return session;
        }

        var sessions = PackSessions.Open(pack, (name, spec) => OpenOne(pack, name, spec));
        try
        {
            var faceModels = faces ? FaceModels.Open(faceModelsDirectory!, OpenOne, tinyLandmarks: false, verifyGoldens: true) : null;
            return new WarmedPack(sessions, faceModels);
        }
        catch
        {
            sessions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Removes stale TensorRT cache folders (<see cref="EngineCacheCleaner"/>). Runs only when
    /// TensorRT is configured, offered by the native library and its version is known: otherwise
    /// every folder would look stale. Never throws for the cache's sake: a clean that fails is logged.
    /// </summary>
    /// <param name="installed">Manifests of every pack still installed, or null when not known (only other stacks are removed then).
    /// The engines of the face models in <see cref="FaceModelsDirectory"/> are kept beside theirs.</param>
    public EngineCacheCleanup CleanCache(IReadOnlyCollection<PackManifest>? installed)
    {
        var options = factory.Options;
        var root = CacheRoot;
        var skipped = !options.Providers.Contains(ExecutionProviderKind.TensorRt) ? "tensorrt is not among the configured providers"
            : !options.TensorRt.EngineCache && !options.TensorRt.TimingCache ? "the TensorRT engine and timing caches are off"
            : !OnnxRuntimeLibrary.AvailableProviders.Contains(ExecutionProviderKind.TensorRt.OrtName()) ? "this ONNX Runtime build has no TensorRT provider"
            : factory.Accelerator.TensorRtVersion == AcceleratorInfo.None.TensorRtVersion ? "the TensorRT library (libnvinfer) was not found, so its version is unknown"
            : null;
        if (skipped is not null)
        {
            LogCleanSkipped(root, skipped);
            return new EngineCacheCleanup(root, [], skipped);
        }

        try
        {
            var shared = faceModelsDirectory is null ? [] : FaceModelFiles.CacheEntries(faceModelsDirectory);
            var removed = cleaner.Clean(root, OnnxRuntimeLibrary.Version, factory.Accelerator, installed, shared);
            LogCleaned(root, removed.Count);
            return new EngineCacheCleanup(root, removed, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanFailed(e, root);
            return new EngineCacheCleanup(root, [], $"the cache folder could not be read: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up {Index}/{Count}: opening model {Model} ({File}) of pack {Pack}")]
    private partial void LogOpening(int index, int count, string model, string file, string pack);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Warm-up {Index}/{Count}: model {Model} runs on {Provider} {Precision}, engine {EngineState} ({CacheFolder}), {Seconds:F1} s")]
    private partial void LogOpened(int index, int count, string model, string provider, string precision, string engineState, string cacheFolder, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TensorRT cache {CacheRoot} not cleaned: {Reason}")]
    private partial void LogCleanSkipped(string cacheRoot, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "TensorRT cache {CacheRoot} cleaned: {Removed} stale folder(s) removed")]
    private partial void LogCleaned(string cacheRoot, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TensorRT cache {CacheRoot} could not be cleaned")]
    private partial void LogCleanFailed(Exception exception, string cacheRoot);
}
