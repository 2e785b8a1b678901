using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

public sealed class BundleFormatTests : IDisposable
{
    private readonly OtaWorkspace ws = new();

    [Fact]
    public async Task A_bundle_is_bundle_json_then_its_signature_then_every_pack_file_as_documented()
    {
        var packDir = ws.MakePack("1.2.3");
        var bundle = await ws.BundleAsync(packDir);

        await using var stream = File.OpenRead(bundle);
        await using var tar = new TarReader(stream);
        var entries = new List<(string Name, byte[] Data)>();
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries.Add((entry.Name, data.ToArray()));
        }

        Assert.Equal([BundleFormat.ManifestEntry, BundleFormat.SignatureEntry], entries.Take(2).Select(e => e.Name));
        using var manifest = JsonDocument.Parse(entries[0].Data);
        var root = manifest.RootElement;
        Assert.Equal(1, root.GetProperty("formatVersion").GetInt32());
        Assert.Equal("affect-tiny", root.GetProperty("packId").GetString());
        Assert.Equal("1.2.3", root.GetProperty("packVersion").GetString());
        var files = root.GetProperty("files").EnumerateArray().ToList();
        var pack = ModelPackLoader.Load(packDir);
        Assert.Equal(pack.Manifest.Files.Keys.Append("manifest.json").Order(StringComparer.Ordinal), files.Select(f => f.GetProperty("path").GetString()));
        Assert.Equal(files.Select(f => "pack/" + f.GetProperty("path").GetString()), entries.Skip(2).Select(e => e.Name));
        foreach (var (file, entry) in files.Zip(entries.Skip(2)))
        {
            Assert.Equal(file.GetProperty("size").GetInt64(), entry.Data.Length);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(entry.Data)));
        }

        // The signature verifies with nothing but the public key PEM and the documented rules.
        using var sig = JsonDocument.Parse(entries[1].Data);
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(ws.Keys, SigningKeys.PublicKeyFile)));
        Assert.Equal("ECDSA-P256-SHA256", sig.RootElement.GetProperty("algorithm").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), sig.RootElement.GetProperty("keyId").GetString());
        Assert.True(key.VerifyData(entries[0].Data, Convert.FromBase64String(sig.RootElement.GetProperty("signature").GetString()!),
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public async Task An_entry_above_the_size_limit_is_refused_before_it_is_written()
    {
        var bundle = await ws.BundleVersionAsync("1.0.0");
        using var trusted = TrustedKeys.Load(ws.Trusted);
        var installer = new PackInstaller(ws.Store, trusted, OtaWorkspace.CpuWarmup(), allowDowngrade: false, maxEntryBytes: 100_000);

        var e = await Assert.ThrowsAsync<OtaException>(() => installer.InstallAsync(bundle, CancellationToken.None));

        Assert.Equal(OtaCheck.Size, e.Check);
        Assert.Contains("above the 100000-byte limit", e.Message, StringComparison.Ordinal);
        Assert.Null(ws.Store.Target(PackStore.ActiveLink));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("pack/../x")]
    [InlineData("pack/./x")]
    [InlineData("pack//x")]
    [InlineData("other/x")]
    [InlineData("pack\\x")]
    public void Unsafe_entry_names_are_refused_by_the_entry_path_check(string name)
    {
        var e = Assert.Throws<OtaException>(() => BundleReader.CheckEntryName(name));
        Assert.Equal(OtaCheck.EntryPath, e.Check);
    }

    public void Dispose() => ws.Dispose();
}
