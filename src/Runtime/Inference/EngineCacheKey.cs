using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>
/// Names the TensorRT engine cache folder for one model. Everything that makes a built engine
/// invalid is in the name, so a JetPack upgrade, a new model or another GPU never loads a
/// stale engine: TensorRT would otherwise reuse whatever the folder holds.
/// </summary>
public sealed partial record EngineCacheKey(
    string ModelSha256,
    string OrtVersion,
    string TensorRtVersion,
    string Gpu,
    string Precision,
    string Shapes)
{
    public string FolderName
    {
        get
        {
            var shapes = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Shapes)))[..8];
            return $"{ModelSha256[..16]}-ort{Slug(OrtVersion)}-trt{Slug(TensorRtVersion)}-{Slug(Gpu)}-{Precision}-s{shapes}";
        }
    }

    /// <summary>The timing cache is per TensorRT version and GPU, shared by all models.</summary>
    public string TimingCacheFolderName => $"timing-trt{Slug(TensorRtVersion)}-{Slug(Gpu)}";

    private static string Slug(string text)
    {
        var slug = NonSlug().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "unknown" : slug;
    }

    [GeneratedRegex("[^a-z0-9.]+")]
    private static partial Regex NonSlug();
}
