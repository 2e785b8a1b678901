using System.Formats.Tar;
using System.Text.Json;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>Writes a signed OTA bundle (one tar) from a pack folder that loads.</summary>
public static class BundleWriter
{
    /// <summary>Verifies the pack (<see cref="ModelPackLoader.Load"/>), then writes bundle.json, bundle.sig and pack/ files.</summary>
    /// <exception cref="ModelPackException">The pack does not load.</exception>
    public static async Task<BundleManifest> WriteAsync(string packDirectory, string privateKeyPath, string outputPath,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var pack = ModelPackLoader.Load(packDirectory);
        using var key = SigningKeys.LoadPrivate(privateKeyPath);

        var relativePaths = pack.Manifest.Files.Keys.Append(ManifestReader.FileName).Order(StringComparer.Ordinal).ToList();
        var created = clock.GetUtcNow();
        var files = relativePaths
            .Select(p => new BundleFile(p, ModelPackLoader.Sha256Hex(pack.PathOf(p)), new FileInfo(pack.PathOf(p)).Length))
            .ToList();
        var manifest = new BundleManifest(BundleFormat.Version, pack.Id, pack.Manifest.Version, created, files);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, BundleJsonContext.Default.BundleManifest);
        var signatureBytes = JsonSerializer.SerializeToUtf8Bytes(SigningKeys.Sign(key, manifestBytes), BundleJsonContext.Default.BundleSignature);

        var fullOutput = Path.GetFullPath(outputPath);
        var temp = fullOutput + $".tmp-{Guid.NewGuid():N}";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await using var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
                await WriteEntryAsync(tar, BundleFormat.ManifestEntry, new MemoryStream(manifestBytes), created, cancellationToken);
                await WriteEntryAsync(tar, BundleFormat.SignatureEntry, new MemoryStream(signatureBytes), created, cancellationToken);
                foreach (var file in files)
                {
                    await using var data = File.OpenRead(pack.PathOf(file.Path));
                    await WriteEntryAsync(tar, BundleFormat.PackPrefix + file.Path, data, created, cancellationToken);
                }
            }

            File.Move(temp, fullOutput, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return manifest;
    }

    private static async Task WriteEntryAsync(TarWriter tar, string name, Stream data, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            ModificationTime = time,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await tar.WriteEntryAsync(entry, cancellationToken);
    }
}
