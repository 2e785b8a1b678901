using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Inference;

/// <summary>
/// The TensorRT engine cache key: a folder name that changes with everything that invalidates an
/// engine (a miss) and only then (a hit). No GPU here, so it is checked as names; what TensorRT
/// does with the folders is checked on a device (docs/operations.md).
/// </summary>
public sealed class EngineCacheKeyTests
{
    private static readonly EngineCacheKey Key = new(
        new string('a', 64), "1.31.1", "10.3.0", "NVIDIA Jetson AGX Orin Developer Kit", "fp16", "clip:1x3x8x112x112");

    public static TheoryData<string, EngineCacheKey> Changes => new()
    {
        { "model sha256", Key with { ModelSha256 = new string('b', 64) } },
        { "ONNX Runtime version", Key with { OrtVersion = "1.32.0" } },
        { "TensorRT version", Key with { TensorRtVersion = "10.4.0" } },
        { "GPU", Key with { Gpu = "NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super" } },
        { "precision", Key with { Precision = "fp32" } },
        { "shape profile", Key with { Shapes = "clip:1x3x16x112x112" } },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_change_that_invalidates_an_engine_misses_the_cache(string what, EngineCacheKey changed)
    {
        Assert.NotEqual(Key.FolderName, changed.FolderName);
        Assert.True(EngineCacheKey.IsEngineFolderName(changed.FolderName), $"{what}: {changed.FolderName}");
    }

    [Fact]
    public void Every_change_gives_its_own_folder()
    {
        var names = Changes.Select(row => ((EngineCacheKey)row[1]).FolderName).Append(Key.FolderName).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Equal_inputs_hit_the_same_folder()
    {
        var again = new EngineCacheKey(
            new string('a', 64), "1.31.1", "10.3.0", "NVIDIA Jetson AGX Orin Developer Kit", "fp16", "clip:1x3x8x112x112");

        Assert.Equal(Key.FolderName, again.FolderName);
        Assert.Equal("aaaaaaaaaaaaaaaa-ort1.31.1-trt10.3.0-nvidia-jetson-agx-orin-developer-kit-fp16-s", Key.FolderName[..^8]);
    }

    [Fact]
    public void The_timing_cache_is_shared_by_models_but_not_across_tensorrt_versions_or_gpus()
    {
        var sameTimingCache = new[]
        {
            Key with { ModelSha256 = new string('b', 64) },
            Key with { OrtVersion = "1.32.0" },
            Key with { Precision = "fp32" },
            Key with { Shapes = "clip:1x3x16x112x112" },
        };
        Assert.All(sameTimingCache, k => Assert.Equal(Key.TimingCacheFolderName, k.TimingCacheFolderName));
        Assert.Equal("timing-trt10.3.0-nvidia-jetson-agx-orin-developer-kit", Key.TimingCacheFolderName);

        Assert.NotEqual(Key.TimingCacheFolderName, (Key with { TensorRtVersion = "10.4.0" }).TimingCacheFolderName);
        Assert.NotEqual(Key.TimingCacheFolderName, (Key with { Gpu = "NVIDIA Jetson Orin NX" }).TimingCacheFolderName);
        Assert.True(EngineCacheKey.IsTimingFolderName(Key.TimingCacheFolderName));
    }

    [Theory]
    [InlineData("affect-tiny")]
    [InlineData("pain-tiny")]
    public void Each_model_of_a_pack_gets_its_own_key_from_the_manifest(string packId)
    {
        var manifest = ModelPackLoader.Load(TestPaths.Pack(packId)).Manifest;
        var accelerator = new AcceleratorInfo("10.3.0", "NVIDIA Jetson Orin Nano");

        var keys = PackSessions.Models(manifest)
            .Select(m => (m.Spec, Key: EngineCacheKey.For(manifest, m.Spec, "1.31.1", accelerator, "fp16")))
            .ToList();

        Assert.Equal(manifest.Modalities.Count + 1, keys.Count);
        Assert.Equal(keys.Count, keys.Select(k => k.Key.FolderName).Distinct().Count());
        Assert.All(keys, k =>
        {
            Assert.Equal(manifest.Files[k.Spec.File], k.Key.ModelSha256);
            Assert.Equal(ProviderOptionsMapping.ShapesText(k.Spec.Inputs), k.Key.Shapes);
            Assert.StartsWith(manifest.Files[k.Spec.File][..16], k.Key.FolderName, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_folder_belongs_to_exactly_the_stack_it_was_made_for()
    {
        var stack = EngineCacheKey.StackName(Key.OrtVersion, Key.TensorRtVersion, Key.Gpu);

        Assert.True(EngineCacheKey.IsOfStack(Key.FolderName, stack));
        Assert.True(EngineCacheKey.IsOfStack((Key with { Precision = "fp32", ModelSha256 = new string('c', 64) }).FolderName, stack));
        Assert.False(EngineCacheKey.IsOfStack((Key with { OrtVersion = "1.31.10" }).FolderName, stack));
        Assert.False(EngineCacheKey.IsOfStack((Key with { TensorRtVersion = "10.3" }).FolderName, stack));
        // A GPU whose name extends this one's: the infix matches, the length does not.
        Assert.False(EngineCacheKey.IsOfStack((Key with { Gpu = Key.Gpu + " 64GB" }).FolderName, stack));
        Assert.False(EngineCacheKey.IsOfStack(Key.TimingCacheFolderName, stack));
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("AAAAAAAAAAAAAAAA-ort1.31.1-trt10.3.0-gpu-fp16-s0123abcd")]
    [InlineData("aaaaaaaaaaaaaaaa-ort1.31.1-trt10.3.0-gpu-int8-s0123abcd")]
    [InlineData("aaaaaaaaaaaaaaaa-ort1.31.1-trt10.3.0-gpu-fp16-s0123abcd.bak")]
    [InlineData("timing-cache")]
    [InlineData("timing-trt10.3.0-GPU")]
    public void Names_the_key_does_not_make_are_not_cache_folders(string name)
    {
        Assert.False(EngineCacheKey.IsEngineFolderName(name) || EngineCacheKey.IsTimingFolderName(name), name);
    }

    [Fact]
    public void Unusable_text_in_a_version_or_gpu_becomes_a_safe_slug()
    {
        var key = Key with { OrtVersion = "1.20.0-rc1+cuda12", Gpu = "   " };

        Assert.Contains("-ort1.20.0-rc1-cuda12-trt10.3.0-unknown-fp16-", key.FolderName, StringComparison.Ordinal);
        Assert.True(EngineCacheKey.IsEngineFolderName(key.FolderName));
        Assert.True(EngineCacheKey.IsOfStack(key.FolderName, EngineCacheKey.StackName(key.OrtVersion, key.TensorRtVersion, key.Gpu)));
    }
}
