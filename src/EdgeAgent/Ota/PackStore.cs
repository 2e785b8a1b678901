using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>
/// The installed packs under <c>&lt;state&gt;/packs</c>: one folder per <c>&lt;id&gt;-&lt;version&gt;</c>, and the
/// symlinks <c>active</c> and <c>previous</c>, each replaced by a temp symlink + rename(2) and a
/// directory fsync, so a crash leaves each link at its old or its new target, never neither.
/// </summary>
public sealed class PackStore
{
    public const string ActiveLink = "active";
    public const string PreviousLink = "previous";
    public const string StagingPrefix = ".staging-";
    private const string TempLinkPrefix = ".link-";
    private const string LockFile = ".lock";

    public PackStore(string stateDirectory)
    {
        StateDirectory = Path.GetFullPath(stateDirectory);
        PacksDirectory = Path.Combine(StateDirectory, "packs");
    }

    public string StateDirectory { get; }

    public string PacksDirectory { get; }

    public string ActivePath => Path.Combine(PacksDirectory, ActiveLink);

    public string PreviousPath => Path.Combine(PacksDirectory, PreviousLink);

    /// <summary>The folder name a link points at (relative to <see cref="PacksDirectory"/>), or null when the link is absent.</summary>
    public string? Target(string link) => new FileInfo(Path.Combine(PacksDirectory, link)).LinkTarget;

    /// <summary>Absolute folder a link resolves to, or null.</summary>
    public string? Resolve(string link) => Target(link) is { } t ? Path.GetFullPath(t, PacksDirectory) : null;

    /// <summary>Takes the store's lock (flock on packs/.lock) for one install or rollback.</summary>
    /// <exception cref="OtaException">Another install or rollback holds it.</exception>
    public IDisposable Lock()
    {
        Directory.CreateDirectory(PacksDirectory);
        try
        {
            return new FileStream(Path.Combine(PacksDirectory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new OtaException(OtaCheck.State, $"{PacksDirectory} is locked by another install or rollback", e);
        }
    }

    /// <summary>A fresh, empty staging folder inside <see cref="PacksDirectory"/> (same file system, so the final move is a rename).</summary>
    public string CreateStaging()
    {
        var path = Path.Combine(PacksDirectory, StagingPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes staging folders and temp links an interrupted install left behind.</summary>
    public void RemoveLeftovers(string? keep = null)
    {
        if (!Directory.Exists(PacksDirectory))
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(PacksDirectory))
        {
            var name = Path.GetFileName(entry);
            if (name.StartsWith(TempLinkPrefix, StringComparison.Ordinal))
            {
                File.Delete(entry);
            }
            else if (name.StartsWith(StagingPrefix, StringComparison.Ordinal) && entry != keep)
            {
                Directory.Delete(entry, recursive: true);
            }
        }
    }

    /// <summary>Points <paramref name="link"/> at <paramref name="folderName"/> atomically and durably.</summary>
    public void Switch(string link, string folderName)
    {
        var temp = Path.Combine(PacksDirectory, TempLinkPrefix + Guid.NewGuid().ToString("N")[..12]);
        File.CreateSymbolicLink(temp, folderName);
        PosixRename.Rename(temp, Path.Combine(PacksDirectory, link));
        DirectorySync.Flush(PacksDirectory);
    }

    /// <summary>Moves a verified staging folder to its final name (a rename in the same folder) and syncs the folder.</summary>
    public void Publish(string staging, string folderName)
    {
        var final = Path.Combine(PacksDirectory, folderName);
        PosixRename.Rename(staging, final);
        DirectorySync.Flush(PacksDirectory);
    }

    /// <summary>A folder name for a pack that is free, or taken only by a folder no link points at (removed).</summary>
    public string FreeFolderName(string packId, string version)
    {
        var baseName = $"{packId}-{version}";
        var referenced = new[] { Target(ActiveLink), Target(PreviousLink) };
        for (var n = 0; ; n++)
        {
            var name = n == 0 ? baseName : $"{baseName}.{n}";
            var path = Path.Combine(PacksDirectory, name);
            if (!Directory.Exists(path))
            {
                return name;
            }

            if (!referenced.Contains(name, StringComparer.Ordinal))
            {
                Directory.Delete(path, recursive: true);
                return name;
            }
        }
    }

    /// <summary>
    /// Manifests of the packs <c>active</c> and <c>previous</c> point at (an absent link adds none);
    /// null when a link's manifest cannot be read, so that callers assume nothing about its models.
    /// </summary>
    public IReadOnlyList<PackManifest>? LinkedManifests()
    {
        var manifests = new List<PackManifest>();
        foreach (var link in new[] { ActiveLink, PreviousLink })
        {
            if (Resolve(link) is not { } folder)
            {
                continue;
            }

            try
            {
                var manifest = ManifestReader.ReadFile(Path.Combine(folder, ManifestReader.FileName));
                ManifestConsistency.Check(manifest);
                manifests.Add(manifest);
            }
            catch (ModelPackException)
            {
                return null;
            }
        }

        return manifests;
    }

    /// <summary>Installed pack folders (not staging, not links), sorted by name.</summary>
    public IReadOnlyList<string> InstalledFolders() => !Directory.Exists(PacksDirectory)
        ? []
        : Directory.EnumerateDirectories(PacksDirectory)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && new DirectoryInfo(d).LinkTarget is null)
            .Where(d => File.Exists(Path.Combine(d, ManifestReader.FileName)))
            .Order(StringComparer.Ordinal)
            .ToList();
}
