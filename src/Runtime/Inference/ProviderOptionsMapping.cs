using System.Globalization;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>
/// The key/value options handed to ONNX Runtime's TensorRT and CUDA providers. Pure functions,
/// so the mapping is tested on machines whose native library has neither provider.
/// </summary>
public static class ProviderOptionsMapping
{
    public static string Precision(TensorRtOptions options) => Precision(options.Fp16);

    /// <summary>The precision name used in cache keys and reports: "fp16" or "fp32".</summary>
    public static string Precision(bool fp16) => fp16 ? "fp16" : "fp32";

    /// <summary>Root of the engine and timing cache folders: <c>&lt;CacheDirectory&gt;/tensorrt</c>.</summary>
    public static string EngineCacheRoot(InferenceOptions options) => Path.Combine(options.CacheDirectory, EngineCacheKey.RootFolderName);

    /// <summary>Options for <c>OrtTensorRTProviderOptions.UpdateOptions</c>.</summary>
    /// <param name="dynamicInputs">Inputs whose ONNX shape has symbolic dimensions: they get an
    /// optimisation profile fixed to the manifest's shape, so TensorRT builds one engine.</param>
    public static Dictionary<string, string> TensorRt(
        InferenceOptions options, EngineCacheKey key, IReadOnlyList<TensorSpec> dynamicInputs)
    {
        var trt = options.TensorRt;
        var root = EngineCacheRoot(options);
        var map = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = options.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = Flag(trt.Fp16),
            ["trt_max_workspace_size"] = trt.MaxWorkspaceBytes.ToString(CultureInfo.InvariantCulture),
            ["trt_builder_optimization_level"] = trt.BuilderOptimizationLevel.ToString(CultureInfo.InvariantCulture),
            ["trt_engine_cache_enable"] = Flag(trt.EngineCache),
            ["trt_timing_cache_enable"] = Flag(trt.TimingCache),
        };
        if (trt.EngineCache)
        {
            map["trt_engine_cache_path"] = Path.Combine(root, key.FolderName);
            map["trt_engine_cache_prefix"] = "edgeemo";
        }

        if (trt.TimingCache)
        {
            map["trt_timing_cache_path"] = Path.Combine(root, key.TimingCacheFolderName);
        }

        if (dynamicInputs.Count > 0)
        {
            var profile = string.Join(',', dynamicInputs.Select(t => $"{t.Name}:{string.Join('x', t.Shape)}"));
            map["trt_profile_min_shapes"] = profile;
            map["trt_profile_opt_shapes"] = profile;
            map["trt_profile_max_shapes"] = profile;
        }

        return map;
    }

    /// <summary>Options for <c>OrtCUDAProviderOptions.UpdateOptions</c>.</summary>
    public static Dictionary<string, string> Cuda(InferenceOptions options)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = options.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["cudnn_conv_algo_search"] = options.Cuda.ExhaustiveConvSearch ? "EXHAUSTIVE" : "HEURISTIC",
            // Grow the arena by what is asked, not by powers of two: Jetson memory is shared with the CPU.
            ["arena_extend_strategy"] = "kSameAsRequested",
        };
        if (options.Cuda.MemoryLimitBytes > 0)
        {
            map["gpu_mem_limit"] = options.Cuda.MemoryLimitBytes.ToString(CultureInfo.InvariantCulture);
        }

        return map;
    }

    /// <summary>Shapes text for the engine cache key: every input, in order.</summary>
    public static string ShapesText(IEnumerable<TensorSpec> inputs) =>
        string.Join(';', inputs.Select(t => $"{t.Name}:{string.Join('x', t.Shape)}"));

    private static string Flag(bool value) => value ? "1" : "0";
}
