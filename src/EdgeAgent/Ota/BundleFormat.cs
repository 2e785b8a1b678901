using System.Text.Json.Serialization;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>Names and limits of the OTA bundle format (docs/model-pack.md, "OTA bundles").</summary>
public static class BundleFormat
{
    public const int Version = 1;
    public const string ManifestEntry = "bundle.json";
    public const string SignatureEntry = "bundle.sig";
    public const string PackPrefix = "pack/";
    public const string Algorithm = "ECDSA-P256-SHA256";

    /// <summary>bundle.json and bundle.sig are small; anything larger is not a bundle.</summary>
    public const long MaxHeaderEntryBytes = 1 << 20;

    /// <summary>Default ceiling for one pack file (a full TensorRT-era pack's largest ONNX is far below this).</summary>
    public const long DefaultMaxEntryBytes = 2L << 30;
}

/// <summary>One pack file in bundle.json: path relative to the pack folder (entry name minus "pack/").</summary>
public sealed record BundleFile(string Path, string Sha256, long Size);

/// <summary>bundle.json: what the signature covers.</summary>
public sealed record BundleManifest(int FormatVersion, string PackId, string PackVersion, DateTimeOffset Created, IReadOnlyList<BundleFile> Files);

/// <summary>bundle.sig: the signature over the exact bundle.json bytes and the signer's key id.</summary>
public sealed record BundleSignature(string Algorithm, string KeyId, string Signature);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(BundleManifest))]
[JsonSerializable(typeof(BundleSignature))]
internal sealed partial class BundleJsonContext : JsonSerializerContext;
