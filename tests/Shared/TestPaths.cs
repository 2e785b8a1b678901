namespace EdgeEmotion.Tests;

/// <summary>Locations in the checkout, found from the test assembly's folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string PacksDirectory => Path.Combine(RepoRoot, "models", "packs");

    public static string Pack(string id) => Path.Combine(PacksDirectory, id);

    /// <summary>An example pack that <c>make examples</c> builds through the import path (models/examples).</summary>
    public static string ExamplePack(string name) => Path.Combine(RepoRoot, "models", "examples", "packs", name);

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
        : this(packId, TestPaths.Pack(packId))
    {
    }

    /// <summary>A copy of the pack folder <paramref name="source"/> (e.g. <see cref="TestPaths.ExamplePack"/>).</summary>
    public PackCopy(string name, string source)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"edgeemo-test-{name}-{Guid.NewGuid():N}");
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Directory, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

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
