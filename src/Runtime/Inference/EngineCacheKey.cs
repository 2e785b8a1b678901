using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EdgeEmotion.Runtime.Packs;

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
    /// <summary>Sub-folder of <see cref="InferenceOptions.CacheDirectory"/> that holds every engine and timing cache folder.</summary>
    public const string RootFolderName = "tensorrt";

    // An engine folder name is "<sha256[:16]>-" + stack + "-fp16-s<8 hex>".
    private const int ModelPrefixLength = 16;
    private const int SuffixLength = 15;

    /// <summary>The precisions a key can name; the cache cleaner keeps both for a model still installed.</summary>
    public static IReadOnlyList<string> Precisions { get; } = [ProviderOptionsMapping.Precision(true), ProviderOptionsMapping.Precision(false)];

    /// <summary>
    /// <c>&lt;sha256[:16]&gt;-&lt;stack&gt;-&lt;precision&gt;-s&lt;hash of shapes[:8]&gt;</c>, where the stack is
    /// <see cref="StackName"/>.
    /// </summary>
    public string FolderName
    {
        get
        {
            var shapes = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Shapes)))[..8];
            return $"{ModelSha256[..ModelPrefixLength].ToLowerInvariant()}-{StackName(OrtVersion, TensorRtVersion, Gpu)}-{Precision}-s{shapes}";
        }
    }

    /// <summary>The timing cache is per TensorRT version and GPU, shared by all models.</summary>
    public string TimingCacheFolderName => TimingFolderName(TensorRtVersion, Gpu);

    /// <summary>The key of one model of a pack, as <see cref="ModelSessionFactory"/> uses it.</summary>
    public static EngineCacheKey For(PackManifest pack, ModelFileSpec model, string ortVersion, AcceleratorInfo accelerator, string precision) =>
        new(pack.Files[model.File], ortVersion, accelerator.TensorRtVersion, accelerator.Gpu, precision,
            ProviderOptionsMapping.ShapesText(model.Inputs));

    /// <summary>The part of every engine folder name that names the software and GPU: <c>ort&lt;v&gt;-trt&lt;v&gt;-&lt;gpu&gt;</c>.</summary>
    public static string StackName(string ortVersion, string tensorRtVersion, string gpu) =>
        $"ort{Slug(ortVersion)}-trt{Slug(tensorRtVersion)}-{Slug(gpu)}";

    public static string TimingFolderName(string tensorRtVersion, string gpu) => $"timing-trt{Slug(tensorRtVersion)}-{Slug(gpu)}";

    /// <summary>True for names <see cref="FolderName"/> produces; the cleaner touches nothing else.</summary>
    public static bool IsEngineFolderName(string name) => EngineFolderPattern().IsMatch(name);

    /// <summary>True for names <see cref="TimingCacheFolderName"/> produces.</summary>
    public static bool IsTimingFolderName(string name) => TimingFolderPattern().IsMatch(name);

    /// <summary>
    /// True when an engine folder name was made for this stack. Compared as a whole infix rather
    /// than parsed, since a version or GPU slug may itself contain dashes.
    /// </summary>
    public static bool IsOfStack(string engineFolderName, string stackName) =>
        IsEngineFolderName(engineFolderName)
        && engineFolderName.Length == ModelPrefixLength + 1 + stackName.Length + SuffixLength
        && engineFolderName.AsSpan(ModelPrefixLength + 1, stackName.Length).SequenceEqual(stackName);

    private static string Slug(string text)
    {
        var slug = NonSlug().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "unknown" : slug;
    }

    [GeneratedRegex("[^a-z0-9.]+")]
    private static partial Regex NonSlug();

    [GeneratedRegex("^[0-9a-f]{16}-ort[a-z0-9.-]+-trt[a-z0-9.-]+-(fp16|fp32)-s[0-9a-f]{8}$")]
    private static partial Regex EngineFolderPattern();

    [GeneratedRegex("^timing-trt[a-z0-9.-]+$")]
    private static partial Regex TimingFolderPattern();
}
