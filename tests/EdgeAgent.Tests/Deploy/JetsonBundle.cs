using System.Formats.Tar;
using System.IO.Compression;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Deploy;

/// <summary>
/// The linux-arm64 deploy bundle of this version (dist/, written by <c>make publish-jetson</c>), unpacked
/// once into a temp folder; its <c>edgeemo</c> runs under qemu-user (scripts/setup.sh installs it).
/// </summary>
public sealed class JetsonBundle : IDisposable
{
    private readonly string temp;

    public JetsonBundle()
    {
        Version = AgentVersion.Current.Split('+')[0];
        Name = $"edgeemo-{Version}-linux-arm64";
        Tarball = Path.Combine(TestPaths.RepoRoot, "dist", $"{Name}.tar.gz");
        if (!File.Exists(Tarball))
        {
            throw new FileNotFoundException($"{Tarball} not found: run `make publish-jetson` first (`make test` does)", Tarball);
        }

        temp = Directory.CreateTempSubdirectory("edgeemo-bundle-").FullName;
        using (var gzip = new GZipStream(File.OpenRead(Tarball), CompressionMode.Decompress))
        {
            TarFile.ExtractToDirectory(gzip, temp, overwriteFiles: false);
        }

        Root = Path.Combine(temp, Name);
    }

    /// <summary>The project's version (the part of the informational version before '+').</summary>
    public string Version { get; }

    public string Name { get; }

    public string Tarball { get; }

    /// <summary>The unpacked top folder, <c>edgeemo-&lt;version&gt;-linux-arm64/</c>.</summary>
    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Every file, as a path relative to <see cref="Root"/> with '/' separators, sorted.</summary>
    public IReadOnlyList<string> Files() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Runs the bundle's arm64 <c>edgeemo</c> under qemu-user with the host's arm64 multiarch libraries.</summary>
    internal Task<ToolResult> RunEdgeemoAsync(params string[] arguments) =>
        ToolRun.RunAsync("qemu-aarch64-static", ["-L", "/", PathOf("bin/edgeemo"), .. arguments]);

    public void Dispose() => Directory.Delete(temp, recursive: true);
}

/// <summary>The test classes that share one unpacked <see cref="JetsonBundle"/> (and so run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class JetsonBundleGroup : ICollectionFixture<JetsonBundle>
{
    public const string Name = "jetson bundle";
}
