using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Inference;

/// <summary>The cache cleaner on real folders in a temp dir, named as TensorRT sessions would name them.</summary>
public sealed class EngineCacheCleanerTests : IDisposable
{
    private const string Ort = "1.31.1";
    private static readonly AcceleratorInfo Orin = new("10.3.0", "NVIDIA Jetson Orin Nano Developer Kit");

    private readonly string root = Path.Combine(Path.GetTempPath(), $"edgeemo-engines-{Guid.NewGuid():N}");
    private readonly PackManifest affect = ModelPackLoader.Load(TestPaths.Pack("affect-tiny")).Manifest;
    private readonly PackManifest pain = ModelPackLoader.Load(TestPaths.Pack("pain-tiny")).Manifest;
    private readonly ListLogger<EngineCacheCleaner> log = new();

    public EngineCacheCleanerTests() => Directory.CreateDirectory(root);

    [Fact]
    public void Keeps_the_engines_of_installed_packs_and_removes_every_stale_entry()
    {
        var affectFp16 = EngineFolders(affect, Ort, Orin, "fp16");
        var affectFp32 = EngineFolders(affect, Ort, Orin, "fp32");
        var painFp16 = EngineFolders(pain, Ort, Orin, "fp16");
        var oldOrt = EngineFolders(affect, "1.30.0", Orin, "fp16");
        var oldTensorRt = EngineFolders(affect, Ort, Orin with { TensorRtVersion = "8.6.2" }, "fp16");
        var otherGpu = EngineFolders(affect, Ort, Orin with { Gpu = "NVIDIA Jetson AGX Orin Developer Kit" }, "fp16");
        var timing = MakeFolder(EngineCacheKey.TimingFolderName(Orin.TensorRtVersion, Orin.Gpu));
        var oldTiming = MakeFolder(EngineCacheKey.TimingFolderName("8.6.2", Orin.Gpu));

        var removed = Cleaner().Clean(root, Ort, Orin, [affect]);

        Assert.All(affectFp16.Concat(affectFp32).Append(timing), kept => Assert.True(Directory.Exists(Path.Combine(root, kept)), $"{kept} was removed"));
        var stale = painFp16.Concat(oldOrt).Concat(oldTensorRt).Concat(otherGpu).Append(oldTiming).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(stale, removed);
        Assert.All(stale, gone => Assert.False(Directory.Exists(Path.Combine(root, gone)), $"{gone} is still there"));
        Assert.Equal(stale.Count, log.Entries.Count(e => e.Message.StartsWith("Removed TensorRT cache folder", StringComparison.Ordinal)));
        Assert.Contains(log.Entries, e => e.Message.Contains(painFp16[0], StringComparison.Ordinal)
            && e.Message.Contains("no installed pack or face model has this model", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Message.Contains(oldOrt[0], StringComparison.Ordinal)
            && e.Message.Contains("another ONNX Runtime, TensorRT or GPU", StringComparison.Ordinal));
    }

    [Fact]
    public void Keeps_the_face_models_engines_and_removes_those_of_face_models_the_agent_no_longer_ships()
    {
        // The face models are in no pack: before they were passed in, every clean after a warm-up
        // or an install removed their engines, and the service rebuilt them (minutes) at each start.
        var faceModels = FaceModelFiles.CacheEntries(TestPaths.FaceModels);
        Assert.Equal(["tiny_face_detector.onnx", "face_landmark_68.onnx", "face_landmark_68_tiny.onnx"], faceModels.Select(m => m.Spec.File));
        var current = faceModels.SelectMany(m => EngineCacheKey.Precisions, (m, precision) =>
            MakeFolder(EngineCacheKey.For(m.Manifest, m.Spec, Ort, Orin, precision).FolderName, "edgeemo_1_0_sm87.engine")).ToList();
        var detector = faceModels[0];
        var replaced = detector.Manifest with { Files = new Dictionary<string, string> { [detector.Spec.File] = new string('0', 64) } };
        var old = MakeFolder(EngineCacheKey.For(replaced, detector.Spec, Ort, Orin, "fp16").FolderName, "edgeemo_1_0_sm87.engine");
        var affectFp16 = EngineFolders(affect, Ort, Orin, "fp16");

        var removed = Cleaner().Clean(root, Ort, Orin, [affect], faceModels);

        Assert.Equal([old], removed);
        Assert.All(current.Concat(affectFp16), kept => Assert.True(Directory.Exists(Path.Combine(root, kept)), $"{kept} was removed"));
    }

    [Fact]
    public void A_face_models_folder_that_cannot_be_read_keeps_nothing_of_it_and_does_not_throw()
    {
        Assert.Empty(FaceModelFiles.CacheEntries(Path.Combine(root, "no-such-folder")));
        var onlyDetector = Directory.CreateDirectory(Path.Combine(root, "detector-only")).FullName;
        File.Copy(Path.Combine(TestPaths.FaceModels, "tiny_face_detector.onnx"), Path.Combine(onlyDetector, "tiny_face_detector.onnx"));

        Assert.Empty(FaceModelFiles.CacheEntries(onlyDetector)); // a detector without a landmark net is no front end
    }

    [Fact]
    public void Without_the_installed_packs_only_another_stack_is_removed()
    {
        var painFp16 = EngineFolders(pain, Ort, Orin, "fp16");
        var oldTensorRt = EngineFolders(pain, Ort, Orin with { TensorRtVersion = "10.2.0" }, "fp16");

        var removed = Cleaner().Clean(root, Ort, Orin, installed: null);

        Assert.Equal(oldTensorRt.Order(StringComparer.Ordinal), removed);
        Assert.All(painFp16, kept => Assert.True(Directory.Exists(Path.Combine(root, kept))));
    }

    [Fact]
    public void Never_touches_what_it_did_not_name()
    {
        var outside = Path.Combine(Path.GetTempPath(), $"edgeemo-outside-{Guid.NewGuid():N}");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.engine"), "x");
        try
        {
            var staleName = new EngineCacheKey(new string('d', 64), "1.0.0", "8.0.0", "old", "fp16", "x:1").FolderName;
            Directory.CreateSymbolicLink(Path.Combine(root, staleName), outside);
            MakeFolder("notes");
            MakeFolder("AAAAAAAAAAAAAAAA-ort1.0.0-trt8.0.0-old-fp16-s0123abcd");
            File.WriteAllText(Path.Combine(root, new EngineCacheKey(new string('e', 64), "1.0.0", "8.0.0", "old", "fp16", "x:1").FolderName), "a file, not a folder");
            File.WriteAllText(Path.Combine(root, "README"), "operator notes");

            var removed = Cleaner().Clean(root, Ort, Orin, [affect]);

            Assert.Empty(removed);
            Assert.True(File.Exists(Path.Combine(outside, "keep.engine")));
            Assert.Equal(5, Directory.EnumerateFileSystemEntries(root).Count());
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void A_missing_cache_root_is_nothing_to_clean()
    {
        Assert.Empty(Cleaner().Clean(Path.Combine(root, "absent"), Ort, Orin, [affect]));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private EngineCacheCleaner Cleaner() => new(log);

    /// <summary>One folder per model of the pack, each with an engine file as TensorRT would leave it.</summary>
    private List<string> EngineFolders(PackManifest manifest, string ort, AcceleratorInfo accelerator, string precision) =>
        PackSessions.Models(manifest)
            .Select(m => MakeFolder(EngineCacheKey.For(manifest, m.Spec, ort, accelerator, precision).FolderName, "edgeemo_123_0_sm87.engine"))
            .ToList();

    private string MakeFolder(string name, string? file = null)
    {
        var path = Path.Combine(root, name);
        Directory.CreateDirectory(path);
        if (file is not null)
        {
            File.WriteAllText(Path.Combine(path, file), "engine bytes");
        }

        return name;
    }
}
