namespace EdgeEmotion.Tests;

/// <summary>Locations in the checkout, found from the test assembly's folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string PacksDirectory => Path.Combine(RepoRoot, "models", "packs");

    public static string Pack(string id) => Path.Combine(PacksDirectory, id);

    /// <summary>An example pack that <c>make examples</c> builds through the import path (models/examples).</summary>
    public static string ExamplePack(string name) => Path.Combine(RepoRoot, "models", "examples", "packs", name);

    /// <summary>The face models folder (models/face: face-api.js's nets and their goldens).</summary>
    public static string FaceModels => Path.Combine(RepoRoot, "models", "face");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeEmotion.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EdgeEmotion.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A temporary copy of a pack that a test may damage; deleted on dispose.</summary>
internal sealed class PackCopy : IDisposable
{
    public PackCopy(string packId)
        : this(TestPaths.Pack(packId), packId)
    {
    }

    private PackCopy(string source, string packId)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"edgeemo-test-{packId}-{Guid.NewGuid():N}");
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Directory, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>A copy of a pack folder outside models/packs (e.g. one a test generated).</summary>
    public static PackCopy Of(string packDirectory) => new(packDirectory, Path.GetFileName(packDirectory));

    public string Directory { get; }

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
