using System.Formats.Tar;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.EdgeAgent.Tests.Cli;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

/// <summary>
/// A temp folder with a signing key, a trusted-keys folder holding its public key, a state folder,
/// and helpers that make affect-tiny at any version, bundle it and install it through the CLI.
/// </summary>
internal sealed class OtaWorkspace : IDisposable
{
    public const string PackId = "affect-tiny";

    private readonly List<PackCopy> copies = [];

    public OtaWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), $"edgeemo-ota-{Guid.NewGuid():N}");
        Keys = Path.Combine(Root, "keys");
        Trusted = Path.Combine(Root, "trusted");
        State = Path.Combine(Root, "state");
        SigningKeys.Generate(Keys);
        Directory.CreateDirectory(Trusted);
        File.Copy(Path.Combine(Keys, SigningKeys.PublicKeyFile), Path.Combine(Trusted, "fleet.pub"));
    }

    public string Root { get; }

    public string Keys { get; }

    public string Trusted { get; }

    public string State { get; }

    public string PrivateKey => Path.Combine(Keys, SigningKeys.PrivateKeyFile);

    public PackStore Store => new(State);

    /// <summary>What <c>models install --providers cpu</c> opens packs with: the pack's models and the repository's face models.</summary>
    public static EngineWarmup CpuWarmup() => new(
        new ModelSessionFactory(new InferenceOptions { Providers = [ExecutionProviderKind.Cpu] }, NullLogger<ModelSessionFactory>.Instance),
        NullLoggerFactory.Instance,
        TestPaths.FaceModels);

    /// <summary>A copy of affect-tiny whose manifest says <paramref name="version"/>; <paramref name="damage"/> may alter it first.</summary>
    public string MakePack(string version, Action<PackCopy>? damage = null)
    {
        var copy = new PackCopy(PackId);
        copies.Add(copy);
        var manifest = copy.PathOf(ManifestReader.FileName);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"version\": \"1.0.0\"", $"\"version\": \"{version}\"", StringComparison.Ordinal));
        damage?.Invoke(copy);
        return copy.Directory;
    }

    /// <summary>Runs <c>models pack</c>; returns the bundle path.</summary>
    public async Task<string> BundleAsync(string packDir, string? key = null)
    {
        var bundle = Path.Combine(Root, $"bundle-{Guid.NewGuid():N}.tar");
        var (code, _, error) = await CliRunner.RunAsync("models", "pack", packDir, "--key", key ?? PrivateKey, "--out", bundle);
        Assert.True(code == 0, error);
        return bundle;
    }

    public async Task<string> BundleVersionAsync(string version) => await BundleAsync(MakePack(version));

    /// <summary>Runs <c>models install --json</c> on the CPU provider.</summary>
    public async Task<(int Code, JsonElement Report)> InstallAsync(string bundle, params string[] extra)
    {
        var (code, output, error) = await CliRunner.RunAsync(
            ["models", "install", bundle, "--state-dir", State, "--trusted-keys", Trusted, "--providers", "cpu", "--json", .. extra]);
        Assert.True(output.Length > 0, error);
        return (code, JsonDocument.Parse(output).RootElement.Clone());
    }

    /// <summary>Installs and asserts success.</summary>
    public async Task InstallOkAsync(string version, params string[] extra)
    {
        var (code, report) = await InstallAsync(await BundleVersionAsync(version), extra);
        Assert.True(code == 0, report.ToString());
        Assert.Equal(version, report.GetProperty("version").GetString());
    }

    /// <summary>
    /// A bundle signed by the trusted key around any pack files (pack-relative name, bytes), listed in
    /// bundle.json as they are: for packs that <c>models pack</c> would never write.
    /// </summary>
    public string SignedBundle(IReadOnlyList<(string Path, byte[] Data)> files, string version = "1.0.1")
    {
        var manifest = new BundleManifest(BundleFormat.Version, PackId, version, DateTimeOffset.UnixEpoch,
            files.Select(f => new BundleFile(f.Path, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f.Data)), f.Data.Length)).ToList());
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, BundleJsonContext.Default.BundleManifest);
        using var key = SigningKeys.LoadPrivate(PrivateKey);
        var signature = JsonSerializer.SerializeToUtf8Bytes(SigningKeys.Sign(key, manifestBytes), BundleJsonContext.Default.BundleSignature);
        var output = Path.Combine(Root, $"signed-{Guid.NewGuid():N}.tar");
        using (var target = File.Create(output))
        using (var writer = new TarWriter(target, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, BundleFormat.ManifestEntry) { DataStream = new MemoryStream(manifestBytes) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, BundleFormat.SignatureEntry) { DataStream = new MemoryStream(signature) });
            foreach (var (path, data) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, BundleFormat.PackPrefix + path) { DataStream = new MemoryStream(data) });
            }
        }

        return output;
    }

    /// <summary>The folder active resolves to, after checking it is a whole pack that loads.</summary>
    public string? ActiveVersion() => VersionOf(PackStore.ActiveLink);

    public string? PreviousVersion() => VersionOf(PackStore.PreviousLink);

    private string? VersionOf(string link) =>
        Store.Resolve(link) is { } dir ? ModelPackLoader.Load(dir).Manifest.Version : null;

    /// <summary>
    /// Copies a bundle's tar entries into a new tar, letting <paramref name="edit"/> replace or drop each;
    /// <paramref name="afterSignature"/> may add entries right after bundle.json and bundle.sig.
    /// </summary>
    public string Rewrite(string bundle, Func<string, byte[], byte[]?> edit, Action<TarWriter>? afterSignature = null)
    {
        var output = Path.Combine(Root, $"edited-{Guid.NewGuid():N}.tar");
        using (var source = File.OpenRead(bundle))
        using (var reader = new TarReader(source))
        using (var target = File.Create(output))
        using (var writer = new TarWriter(target, TarEntryFormat.Pax))
        {
            var index = 0;
            while (reader.GetNextEntry() is { } entry)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                if (edit(entry.Name, data.ToArray()) is { } bytes)
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(bytes) });
                }

                if (++index == 2)
                {
                    afterSignature?.Invoke(writer);
                }
            }
        }

        return output;
    }

    public void Dispose()
    {
        foreach (var copy in copies)
        {
            copy.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
