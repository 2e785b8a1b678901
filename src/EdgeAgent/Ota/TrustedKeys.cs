using System.Security.Cryptography;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>The public keys (*.pub PEM files in a folder) whose signatures an install accepts.</summary>
public sealed class TrustedKeys : IDisposable
{
    private readonly Dictionary<string, (ECDsa Key, string File)> keys;

    private TrustedKeys(string directory, Dictionary<string, (ECDsa, string)> keys)
    {
        Directory = directory;
        this.keys = keys;
    }

    public string Directory { get; }

    public int Count => keys.Count;

    /// <exception cref="OtaException">The folder is missing, or a .pub file is not a public key.</exception>
    public static TrustedKeys Load(string directory, IReadOnlyCollection<string>? allowedSigners = null)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new OtaException(OtaCheck.Signature, $"trusted-keys folder {directory} does not exist");
        }

        var keys = new Dictionary<string, (ECDsa, string)>(StringComparer.Ordinal);
        try
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.pub").Order(StringComparer.Ordinal))
            {
                ECDsa key;
                try
                {
                    key = SigningKeys.LoadPublic(file);
                }
                catch (Exception e) when (e is CryptographicException or ArgumentException)
                {
                    throw new OtaException(OtaCheck.Signature, $"trusted key {file} is not an ECDSA public key PEM: {e.Message}", e);
                }

                if ((allowedSigners is not null && !allowedSigners.Contains(SigningKeys.KeyId(key))) || !keys.TryAdd(SigningKeys.KeyId(key), (key, file)))
                {
                    key.Dispose();
                }
            }
        }
        catch
        {
            foreach (var (key, _) in keys.Values)
            {
                key.Dispose();
            }

            throw;
        }

        return new TrustedKeys(directory, keys);
    }

    /// <summary>Verifies bundle.sig over the exact bundle.json bytes.</summary>
    /// <exception cref="OtaException">Check <see cref="OtaCheck.Signature"/>: unknown algorithm, untrusted key, or a signature that does not verify.</exception>
    public void Verify(ReadOnlySpan<byte> data, BundleSignature signature)
    {
        if (signature.Algorithm != BundleFormat.Algorithm)
        {
            throw new OtaException(OtaCheck.Signature, $"algorithm '{signature.Algorithm}' is not supported; expected {BundleFormat.Algorithm}");
        }

        if (!keys.TryGetValue(signature.KeyId, out var trusted))
        {
            throw new OtaException(OtaCheck.Signature,
                $"bundle is signed by key {signature.KeyId}, which is not among the {keys.Count} trusted key(s) in {Directory}");
        }

        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(signature.Signature);
        }
        catch (FormatException e)
        {
            throw new OtaException(OtaCheck.Signature, "bundle.sig's signature is not base64", e);
        }

        if (!trusted.Key.VerifyData(data, raw, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new OtaException(OtaCheck.Signature,
                $"bundle.json does not verify against trusted key {signature.KeyId} ({trusted.File}); the bundle was altered or mis-signed");
        }
    }

    public void Dispose()
    {
        foreach (var (key, _) in keys.Values)
        {
            key.Dispose();
        }
    }
}
