using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Tests.Inference;

/// <summary>
/// The TensorRT and CUDA settings handed to ONNX Runtime. No GPU runs here, so the mapping is
/// checked as data; the device check is in docs/operations.md.
/// </summary>
public sealed class ProviderOptionsMappingTests
{
    private static readonly EngineCacheKey Key = new(
        new string('a', 64), "1.31.1", "10.3.0", "NVIDIA Jetson AGX Orin Developer Kit", "fp16", "clip:1x3x8x112x112");

    [Fact]
    public void TensorRt_defaults_enable_fp16_and_both_caches_under_a_keyed_folder()
    {
        var options = new InferenceOptions { CacheDirectory = "/var/cache/edgeemo", DeviceId = 0 };

        var map = ProviderOptionsMapping.TensorRt(options, Key, []);

        Assert.Equal("0", map["device_id"]);
        Assert.Equal("1", map["trt_fp16_enable"]);
        Assert.Equal("1", map["trt_engine_cache_enable"]);
        Assert.Equal($"/var/cache/edgeemo/tensorrt/{Key.FolderName}", map["trt_engine_cache_path"]);
        Assert.Equal("edgeemo", map["trt_engine_cache_prefix"]);
        Assert.Equal("1", map["trt_timing_cache_enable"]);
        Assert.Equal("/var/cache/edgeemo/tensorrt/timing-trt10.3.0-nvidia-jetson-agx-orin-developer-kit", map["trt_timing_cache_path"]);
        Assert.Equal((1L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture), map["trt_max_workspace_size"]);
        Assert.Equal("3", map["trt_builder_optimization_level"]);
        Assert.DoesNotContain("trt_profile_min_shapes", map.Keys);
    }

    [Fact]
    public void TensorRt_fp32_without_caches_sets_no_cache_paths()
    {
        var options = new InferenceOptions
        {
            DeviceId = 1,
            TensorRt = new TensorRtOptions { Fp16 = false, EngineCache = false, TimingCache = false, MaxWorkspaceBytes = 256L << 20, BuilderOptimizationLevel = 5 },
        };

        var map = ProviderOptionsMapping.TensorRt(options, Key, []);

        Assert.Equal("1", map["device_id"]);
        Assert.Equal("0", map["trt_fp16_enable"]);
        Assert.Equal("0", map["trt_engine_cache_enable"]);
        Assert.Equal("0", map["trt_timing_cache_enable"]);
        Assert.DoesNotContain("trt_engine_cache_path", map.Keys);
        Assert.DoesNotContain("trt_timing_cache_path", map.Keys);
        Assert.Equal("268435456", map["trt_max_workspace_size"]);
        Assert.Equal("5", map["trt_builder_optimization_level"]);
        Assert.Equal("fp32", ProviderOptionsMapping.Precision(options.TensorRt));
    }

    [Fact]
    public void Dynamic_inputs_get_a_profile_fixed_to_the_manifest_shape()
    {
        TensorSpec[] dynamic =
        [
            new() { Name = "visual_features", ElementType = "float32", Shape = [1, 16, 512] },
            new() { Name = "audio_features", ElementType = "float32", Shape = [1, 16, 512] },
        ];

        var map = ProviderOptionsMapping.TensorRt(new InferenceOptions(), Key, dynamic);

        const string profile = "visual_features:1x16x512,audio_features:1x16x512";
        Assert.Equal(profile, map["trt_profile_min_shapes"]);
        Assert.Equal(profile, map["trt_profile_opt_shapes"]);
        Assert.Equal(profile, map["trt_profile_max_shapes"]);
    }

    [Fact]
    public void Cuda_options_default_to_heuristic_search_and_an_exact_arena()
    {
        var map = ProviderOptionsMapping.Cuda(new InferenceOptions { DeviceId = 2 });

        Assert.Equal("2", map["device_id"]);
        Assert.Equal("HEURISTIC", map["cudnn_conv_algo_search"]);
        Assert.Equal("kSameAsRequested", map["arena_extend_strategy"]);
        Assert.DoesNotContain("gpu_mem_limit", map.Keys);

        var limited = ProviderOptionsMapping.Cuda(new InferenceOptions { Cuda = new CudaOptions { ExhaustiveConvSearch = true, MemoryLimitBytes = 2L << 30 } });
        Assert.Equal("EXHAUSTIVE", limited["cudnn_conv_algo_search"]);
        Assert.Equal("2147483648", limited["gpu_mem_limit"]);
    }

    [Theory]
    [InlineData(100300, "10.3.0")]
    [InlineData(8601, "8.6.1")]
    [InlineData(8502, "8.5.2")]
    public void TensorRt_library_versions_decode(int encoded, string expected) =>
        Assert.Equal(expected, AcceleratorInfo.DecodeTensorRtVersion(encoded));

    [Theory]
    [InlineData("tensorrt", ExecutionProviderKind.TensorRt)]
    [InlineData("TRT", ExecutionProviderKind.TensorRt)]
    [InlineData(" cuda ", ExecutionProviderKind.Cuda)]
    [InlineData("cpu", ExecutionProviderKind.Cpu)]
    public void Provider_names_parse(string text, ExecutionProviderKind expected) =>
        Assert.Equal(expected, ExecutionProviderNames.Parse(text));

    [Fact]
    public void Unknown_provider_name_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => ExecutionProviderNames.Parse("rocm"));
        Assert.Contains("tensorrt, cuda, cpu", e.Message, StringComparison.Ordinal);
    }
}
