using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeEmotion.Runtime.Configuration;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>
/// Reads a bundle as a stream: first bundle.json + bundle.sig, verified against the trusted keys
/// before anything else is believed; then the pack entries, each checked (path, type, size,
/// sha256) while it is written into a staging folder.
/// </summary>
public sealed class BundleReader : IAsyncDisposable
{
    private readonly FileStream stream;
    private readonly TarReader tar;

    private BundleReader(FileStream stream, TarReader tar, BundleManifest manifest)
    {
        this.stream = stream;
        this.tar = tar;
        Manifest = manifest;
    }

    /// <summary>The signed bundle.json.</summary>
    public BundleManifest Manifest { get; }

    /// <exception cref="OtaException">Signature, bundle manifest or truncated.</exception>
    public static async Task<BundleReader> OpenAsync(string bundlePath, TrustedKeys trusted, CancellationToken cancellationToken)
    {
        var stream = new FileStream(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var tar = new TarReader(stream, leaveOpen: true);
        try
        {
            var manifestBytes = await ReadHeaderEntryAsync(tar, BundleFormat.ManifestEntry, cancellationToken);
            var signatureBytes = await ReadHeaderEntryAsync(tar, BundleFormat.SignatureEntry, cancellationToken);
            BundleSignature signature;
            try
            {
                signature = JsonSerializer.Deserialize(signatureBytes, BundleJsonContext.Default.BundleSignature)
                    ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                throw new OtaException(OtaCheck.Signature, $"{BundleFormat.SignatureEntry} is not valid: {e.Message}", e);
            }

            trusted.Verify(manifestBytes, signature);
            var manifest = ParseManifest(manifestBytes);
            return new BundleReader(stream, tar, manifest);
        }
        catch
        {
            await tar.DisposeAsync();
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes every pack entry into <paramref name="staging"/>, refusing at the first entry that fails a check.</summary>
    /// <exception cref="OtaException">Entry path, entry type, size, sha256 or truncated.</exception>
    public async Task UnpackAsync(string staging, long maxEntryBytes, CancellationToken cancellationToken)
    {
        var listed = Manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var root = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
        string? current = null;
        try
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                current = entry.Name;
                var relative = CheckEntryName(entry.Name);
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    throw new OtaException(OtaCheck.EntryType, $"entry '{PrintableText.Escape(entry.Name)}' is a {entry.EntryType}; a bundle holds regular files only");
                }

                if (!listed.TryGetValue(relative, out var file))
                {
                    throw new OtaException(OtaCheck.EntryPath, $"entry '{PrintableText.Escape(entry.Name)}' is not listed in {BundleFormat.ManifestEntry}");
                }

                if (!seen.Add(relative))
                {
                    throw new OtaException(OtaCheck.EntryPath, $"entry '{PrintableText.Escape(entry.Name)}' appears twice");
                }

                if (entry.Length != file.Size || entry.Length > maxEntryBytes)
                {
                    throw new OtaException(OtaCheck.Size, entry.Length > maxEntryBytes
                        ? $"entry '{PrintableText.Escape(entry.Name)}' is {entry.Length} bytes, above the {maxEntryBytes}-byte limit"
                        : $"entry '{PrintableText.Escape(entry.Name)}' is {entry.Length} bytes but {BundleFormat.ManifestEntry} says {file.Size}");
                }

                var target = Path.GetFullPath(Path.Combine(staging, relative));
                if (!target.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new OtaException(OtaCheck.EntryPath, $"entry '{PrintableText.Escape(entry.Name)}' resolves outside the staging folder");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await CopyCheckedAsync(entry, file, target, cancellationToken);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new OtaException(OtaCheck.Truncated,
                current is null ? $"the archive breaks before its first pack entry: {e.Message}" : $"the archive ends or breaks inside or after entry '{PrintableText.Escape(current)}': {e.Message}", e);
        }

        var missing = listed.Keys.Where(k => !seen.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new OtaException(OtaCheck.Truncated,
                $"the archive ended without {missing.Count} listed file(s): {string.Join(", ", missing.Take(5))}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await tar.DisposeAsync();
        await stream.DisposeAsync();
    }

    private static async Task CopyCheckedAsync(TarEntry entry, BundleFile file, string target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long copied = 0;
        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            if (entry.DataStream is { } data)
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await data.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    copied += n;
                    if (copied > file.Size)
                    {
                        throw new OtaException(OtaCheck.Size, $"entry '{PrintableText.Escape(entry.Name)}' holds more than the {file.Size} bytes {BundleFormat.ManifestEntry} says");
                    }

                    hash.AppendData(buffer, 0, n);
                    await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                }
            }

            await output.FlushAsync(cancellationToken);
            output.Flush(flushToDisk: true);
        }

        if (copied < file.Size)
        {
            throw new OtaException(OtaCheck.Truncated, $"entry '{PrintableText.Escape(entry.Name)}' ends after {copied} of {file.Size} bytes");
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal))
        {
            throw new OtaException(OtaCheck.Sha256, $"pack file '{file.Path}' has sha256 {actual} but {BundleFormat.ManifestEntry} says {file.Sha256}");
        }
    }

    /// <summary>The pack-relative path of an entry, or a refusal naming what is wrong with the name (<see cref="PackPaths"/>).</summary>
    internal static string CheckEntryName(string name)
    {
        if (!name.StartsWith(BundleFormat.PackPrefix, StringComparison.Ordinal))
        {
            throw new OtaException(OtaCheck.EntryPath, $"entry '{PrintableText.Escape(name)}' is not a file under {BundleFormat.PackPrefix}");
        }

        var relative = name[BundleFormat.PackPrefix.Length..];
        if (PackPaths.Problem(relative) is { } problem)
        {
            throw new OtaException(OtaCheck.EntryPath, $"entry '{PrintableText.Escape(name)}' {problem}");
        }

        return relative;
    }

    private static async Task<byte[]> ReadHeaderEntryAsync(TarReader tar, string expectedName, CancellationToken cancellationToken)
    {
        TarEntry? entry;
        try
        {
            entry = await tar.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new OtaException(OtaCheck.Truncated, $"the archive breaks before {expectedName}: {e.Message}", e);
        }

        if (entry is null || entry.Name != expectedName)
        {
            throw new OtaException(OtaCheck.Signature,
                $"the bundle's {(expectedName == BundleFormat.ManifestEntry ? "first" : "second")} entry must be {expectedName}, found {(entry is null ? "the end of the archive" : $"'{PrintableText.Escape(entry.Name)}'")}: the bundle is not signed");
        }

        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.Length > BundleFormat.MaxHeaderEntryBytes)
        {
            throw new OtaException(OtaCheck.Signature, $"{expectedName} must be a regular file of at most {BundleFormat.MaxHeaderEntryBytes} bytes");
        }

        var bytes = new byte[entry.Length];
        try
        {
            if (entry.DataStream is { } data)
            {
                await data.ReadExactlyAsync(bytes, cancellationToken);
            }
            else if (bytes.Length > 0)
            {
                throw new EndOfStreamException("no data");
            }
        }
        catch (EndOfStreamException e)
        {
            throw new OtaException(OtaCheck.Truncated, $"the archive ends inside {expectedName}", e);
        }

        return bytes;
    }

    private static BundleManifest ParseManifest(byte[] bytes)
    {
        BundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(bytes, BundleJsonContext.Default.BundleManifest);
        }
        catch (JsonException e)
        {
            throw new OtaException(OtaCheck.BundleManifest, $"{BundleFormat.ManifestEntry} is not valid JSON for format {BundleFormat.Version}: {e.Message}", e);
        }

        if (manifest is null || manifest.FormatVersion != BundleFormat.Version)
        {
            throw new OtaException(OtaCheck.BundleManifest, $"{BundleFormat.ManifestEntry} has format version {manifest?.FormatVersion}; this agent reads {BundleFormat.Version}");
        }

        if (manifest.Files is null || manifest.Files.Count == 0 || manifest.Files.Any(f => f is null) || string.IsNullOrEmpty(manifest.PackId) || string.IsNullOrEmpty(manifest.PackVersion))
        {
            throw new OtaException(OtaCheck.BundleManifest, $"{BundleFormat.ManifestEntry} lacks packId, packVersion or files");
        }

        foreach (var file in manifest.Files)
        {
            CheckEntryName(BundleFormat.PackPrefix + file.Path);
            if (file.Size < 0 || file.Sha256 is not { Length: 64 } || file.Sha256.Any(c => !char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)))
            {
                throw new OtaException(OtaCheck.BundleManifest, $"{BundleFormat.ManifestEntry}: file '{file.Path}' has an invalid size or sha256");
            }
        }

        if (!manifest.Files.Any(f => f.Path == ManifestReader.FileName))
        {
            throw new OtaException(OtaCheck.BundleManifest, $"{BundleFormat.ManifestEntry} does not list the pack's manifest.json");
        }

        return manifest;
    }
}
