using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>
/// Removes TensorRT cache folders that can never be loaded again: engine folders made for another
/// ONNX Runtime, TensorRT or GPU, or for a model no installed pack (nor the face models) has any more, and timing caches
/// of another TensorRT or GPU. It touches only directories whose names <see cref="EngineCacheKey"/>
/// makes; other names, files and symlinks in the cache root are left alone.
/// </summary>
public sealed partial class EngineCacheCleaner(ILogger<EngineCacheCleaner> logger)
{
    /// <summary>Removes the stale folders under <paramref name="root"/>, logging each.</summary>
    /// <param name="root">The cache root, <see cref="ProviderOptionsMapping.EngineCacheRoot"/>.</param>
    /// <param name="ortVersion">The native ONNX Runtime version sessions open with now.</param>
    /// <param name="accelerator">This machine's TensorRT version and GPU.</param>
    /// <param name="installed">
    /// Manifests of every pack still installed. Their models' folders for this stack are kept, in
    /// either precision. Null when the installed packs are not known: then only folders of another
    /// stack are removed, since a folder of this stack may belong to a pack the caller cannot see.
    /// </param>
    /// <param name="shared">
    /// Models that are in no pack but that packs open beside their own: the agent's face models
    /// (<see cref="Faces.FaceModelFiles.CacheEntries"/>). Their folders for this stack are kept too.
    /// </param>
    /// <returns>The names of the folders removed.</returns>
    public IReadOnlyList<string> Clean(
        string root, string ortVersion, AcceleratorInfo accelerator, IReadOnlyCollection<PackManifest>? installed, IEnumerable<CachedModel>? shared = null)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var stack = EngineCacheKey.StackName(ortVersion, accelerator.TensorRtVersion, accelerator.Gpu);
        var timing = EngineCacheKey.TimingFolderName(accelerator.TensorRtVersion, accelerator.Gpu);
        HashSet<string>? keep = installed is null ? null
            : KeptFolders(installed.SelectMany(CachedModel.Of).Concat(shared ?? []), ortVersion, accelerator);
        var removed = new List<string>();
        foreach (var folder in new DirectoryInfo(root).EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (folder.LinkTarget is not null)
            {
                continue;
            }

            var name = folder.Name;
            string? reason = null;
            if (EngineCacheKey.IsEngineFolderName(name))
            {
                reason = !EngineCacheKey.IsOfStack(name, stack) ? $"built for another ONNX Runtime, TensorRT or GPU (now {stack})"
                    : keep is not null && !keep.Contains(name) ? "no installed pack or face model has this model, precision and shape"
                    : null;
            }
            else if (EngineCacheKey.IsTimingFolderName(name) && name != timing)
            {
                reason = $"timing cache of another TensorRT or GPU (now {timing})";
            }

            if (reason is not null && TryRemove(folder, reason))
            {
                removed.Add(name);
            }
        }

        return removed;
    }

    private static HashSet<string> KeptFolders(IEnumerable<CachedModel> models, string ortVersion, AcceleratorInfo accelerator) =>
        models
            .SelectMany(_ => EngineCacheKey.Precisions, (m, precision) => EngineCacheKey.For(m.Manifest, m.Spec, ortVersion, accelerator, precision).FolderName)
            .ToHashSet(StringComparer.Ordinal);

    private bool TryRemove(DirectoryInfo folder, string reason)
    {
        try
        {
            folder.Delete(recursive: true);
            LogRemoved(folder.Name, folder.Parent?.FullName ?? "", reason);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot go now (permissions, a file in use) is retried at the next clean.
            LogRemoveFailed(e, folder.FullName);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed TensorRT cache folder {CacheFolder} from {CacheRoot}: {Reason}")]
    private partial void LogRemoved(string cacheFolder, string cacheRoot, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove stale TensorRT cache folder {CacheFolder}; it is retried at the next clean")]
    private partial void LogRemoveFailed(Exception exception, string cacheFolder);
}
