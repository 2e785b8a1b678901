using System.Security.Cryptography;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>ECDSA P-256 keys for bundles: generation, loading, key ids, sign and verify.</summary>
public static class SigningKeys
{
    public const string PrivateKeyFile = "signing.key";
    public const string PublicKeyFile = "signing.pub";

    /// <summary>Writes signing.key (PKCS#8 PEM, 0600) and signing.pub (SubjectPublicKeyInfo PEM) into a folder; never overwrites.</summary>
    /// <returns>The key id.</returns>
    public static string Generate(string directory)
    {
        Directory.CreateDirectory(directory);
        var keyPath = Path.Combine(directory, PrivateKeyFile);
        var pubPath = Path.Combine(directory, PublicKeyFile);
        foreach (var path in new[] { keyPath, pubPath })
        {
            if (File.Exists(path))
            {
                throw new IOException($"{path} already exists; refusing to overwrite a key");
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Write(keyPath, key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(pubPath, key.ExportSubjectPublicKeyInfoPem(),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return KeyId(key);
    }

    /// <summary>Lower-case hex sha256 of the public key's SubjectPublicKeyInfo DER.</summary>
    public static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    public static ECDsa LoadPrivate(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
            {
                throw new CryptographicException($"{path} is a {key.KeySize}-bit key; bundles use P-256");
            }

            _ = key.ExportParameters(includePrivateParameters: true);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static ECDsa LoadPublic(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static BundleSignature Sign(ECDsa key, ReadOnlySpan<byte> data) => new(
        BundleFormat.Algorithm,
        KeyId(key),
        Convert.ToBase64String(key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)));

    private static void Write(string path, string text, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
