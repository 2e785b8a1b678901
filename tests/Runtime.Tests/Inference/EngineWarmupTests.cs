using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Runtime.Tests.Inference;

/// <summary>
/// The warm-up on the CPU provider this machine has (engine builds need a Jetson:
/// docs/operations.md), and how "built" and "found" are told apart from real engine files.
/// </summary>
public sealed class EngineWarmupTests : IDisposable
{
    private readonly string cache = Path.Combine(Path.GetTempPath(), $"edgeemo-warmup-{Guid.NewGuid():N}");
    private readonly ListLoggerFactory logs = new();

    [Fact]
    public void Opens_every_model_in_order_and_reports_each_as_it_goes()
    {
        var pack = ModelPackLoader.Load(TestPaths.Pack("pain-tiny"));
        var progress = new RecordingProgress();

        using var sessions = Warmup(ExecutionProviderKind.Cpu).Open(pack, progress);

        Assert.Equal(
            ["opening 1/3 visual visual_backbone.onnx", "opened 1/3 visual", "opening 2/3 eda eda_backbone.onnx", "opened 2/3 eda",
             "opening 3/3 fusion fusion.onnx", "opened 3/3 fusion"],
            progress.Events);
        Assert.All(progress.Ready, m =>
        {
            Assert.Equal(ExecutionProviderKind.Cpu, m.Provider);
            Assert.Equal("fp32", m.Precision);
            Assert.Null(m.Engine);
            Assert.True(m.Elapsed > TimeSpan.Zero);
        });
        Assert.Equal(sessions.All.Select(s => s.Name), progress.Ready.Select(m => m.Model));
        Assert.Contains(logs.Messages, m => m.StartsWith("Warm-up 2/3: model eda runs on cpu fp32, engine none", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pack_that_finds_faces_with_the_trained_detector_warms_the_face_models_after_its_own()
    {
        // pain-tiny's face recipe is {tinyFaceDetector, aligned}: the service opens the face
        // detector and landmark net beside the pack, so staging builds their engines too.
        var pack = ModelPackLoader.Load(TestPaths.Pack("pain-tiny"));
        var progress = new RecordingProgress();

        using var warmed = Warmup(TestPaths.FaceModels, ExecutionProviderKind.Cpu).Open(pack, progress);

        Assert.Equal(
            ["opening 1/5 visual visual_backbone.onnx", "opened 1/5 visual", "opening 2/5 eda eda_backbone.onnx", "opened 2/5 eda",
             "opening 3/5 fusion fusion.onnx", "opened 3/5 fusion",
             "opening 4/5 face.detector tiny_face_detector.onnx", "opened 4/5 face.detector",
             "opening 5/5 face.landmarks face_landmark_68.onnx", "opened 5/5 face.landmarks"],
            progress.Events);
        Assert.NotNull(warmed.Faces);
        Assert.Equal(warmed.All.Select(s => s.Name), progress.Ready.Select(m => m.Model));
        Assert.Same(warmed.Faces.Detector, warmed["face.detector"]);
        Assert.Same(warmed.Sessions["eda"], warmed["eda"]);
        // Opening them ran their goldens, one result per model (three frames each).
        Assert.Equal(["face.detector", "face.landmarks"], warmed.Faces.Goldens.Select(g => g.Model));
        Assert.All(warmed.Faces.Goldens, g =>
        {
            Assert.True(g.Passed, $"{g.Model}: {g.MaxAbsError} > {g.Tolerance}");
            Assert.Equal(3, g.Cases);
            Assert.Equal("fp32", g.Precision);
        });
        Assert.Contains(logs.Messages, m => m.StartsWith("Warm-up 4/5: opening model face.detector (tiny_face_detector.onnx) of pack face-api", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pack_without_the_trained_detector_or_a_warmup_without_the_folder_opens_no_face_models()
    {
        var haar = ModelPackLoader.Load(TestPaths.ExamplePack("per_clip_visual"));
        var trained = ModelPackLoader.Load(TestPaths.Pack("pain-tiny"));

        using var noRecipe = Warmup(TestPaths.FaceModels, ExecutionProviderKind.Cpu).Open(haar);
        using var noFolder = Warmup(ExecutionProviderKind.Cpu).Open(trained);

        Assert.Null(noRecipe.Faces);
        Assert.Equal(noRecipe.Sessions.All, noRecipe.All);
        Assert.Null(noFolder.Faces);
        Assert.Equal(3, noFolder.All.Count());
    }

    [Fact]
    public void A_face_models_folder_without_the_detector_fails_the_warmup_naming_the_file_and_closes_the_pack()
    {
        var empty = Directory.CreateDirectory(Path.Combine(cache, "face-models")).FullName;
        var progress = new RecordingProgress();

        var e = Assert.Throws<ModelPackException>(() => Warmup(empty, ExecutionProviderKind.Cpu).Open(ModelPackLoader.Load(TestPaths.Pack("pain-tiny")), progress));

        Assert.Equal(PackErrorKind.MissingFile, e.Kind);
        Assert.Equal(Path.Combine(empty, "tiny_face_detector.onnx"), e.Location);
        Assert.Equal(3, progress.Ready.Count); // the pack's models opened (and were closed) before
    }

    [Fact]
    public void A_cancelled_warmup_stops_before_the_next_model_and_closes_what_opened()
    {
        var pack = ModelPackLoader.Load(TestPaths.Pack("affect-tiny"));
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress(onOpened: _ => cts.Cancel());

        Assert.Throws<OperationCanceledException>(() => Warmup(ExecutionProviderKind.Cpu).Open(pack, progress, cts.Token));

        Assert.Single(progress.Ready);
    }

    [Fact]
    public void Without_tensorrt_configured_the_cache_is_left_alone()
    {
        var stale = StaleEngineFolder();

        var cleanup = Warmup(ExecutionProviderKind.Cpu).CleanCache(installed: null);

        Assert.Equal("tensorrt is not among the configured providers", cleanup.SkippedBecause);
        Assert.Empty(cleanup.Removed);
        Assert.True(Directory.Exists(stale));
    }

    [Fact]
    public void A_build_without_tensorrt_never_judges_engines_stale()
    {
        // Every folder would look stale to a process that cannot see TensorRT (an ORT build
        // without it, libnvinfer missing): it must not clean the device's engines.
        var stale = StaleEngineFolder();

        var cleanup = Warmup(ExecutionProviderKind.TensorRt, ExecutionProviderKind.Cpu).CleanCache(installed: null);

        Assert.Equal("this ONNX Runtime build has no TensorRT provider", cleanup.SkippedBecause);
        Assert.True(Directory.Exists(stale));
        Assert.Equal(Path.Combine(cache, "tensorrt"), cleanup.Root);
    }

    [Fact]
    public void Engine_files_that_appear_mean_built()
    {
        var folder = Directory.CreateDirectory(Path.Combine(cache, "engines")).FullName;
        var before = EngineFileSnapshot.Take(folder);
        File.WriteAllText(Path.Combine(folder, "edgeemo_1_0_sm87.engine"), "engine");
        File.WriteAllText(Path.Combine(folder, "edgeemo_1_0_sm87.profile"), "profile");

        Assert.Equal(EngineCacheState.Built, before.Compare(EngineFileSnapshot.Take(folder)));
    }

    [Fact]
    public void Engine_files_that_were_there_and_did_not_change_mean_found()
    {
        var folder = Directory.CreateDirectory(Path.Combine(cache, "engines")).FullName;
        File.WriteAllText(Path.Combine(folder, "edgeemo_1_0_sm87.engine"), "engine");
        var before = EngineFileSnapshot.Take(folder);

        Assert.Equal(EngineCacheState.Found, before.Compare(EngineFileSnapshot.Take(folder)));
    }

    [Fact]
    public void A_rewritten_or_added_engine_means_built_even_when_one_was_cached()
    {
        var folder = Directory.CreateDirectory(Path.Combine(cache, "engines")).FullName;
        var engine = Path.Combine(folder, "edgeemo_1_0_sm87.engine");
        File.WriteAllText(engine, "engine");
        var before = EngineFileSnapshot.Take(folder);
        File.SetLastWriteTimeUtc(engine, File.GetLastWriteTimeUtc(engine).AddSeconds(5));

        Assert.Equal(EngineCacheState.Built, before.Compare(EngineFileSnapshot.Take(folder)));

        var rewritten = EngineFileSnapshot.Take(folder);
        File.WriteAllText(Path.Combine(folder, "edgeemo_2_0_sm87.engine"), "second subgraph");
        Assert.Equal(EngineCacheState.Built, rewritten.Compare(EngineFileSnapshot.Take(folder)));
    }

    [Fact]
    public void No_engine_file_at_all_means_tensorrt_took_no_part_of_the_model()
    {
        var folder = Path.Combine(cache, "never-created");
        var before = EngineFileSnapshot.Take(folder);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an engine");

        Assert.Equal(EngineCacheState.NoEngine, before.Compare(EngineFileSnapshot.Take(folder)));
        Assert.Equal("no-engine", new TensorRtEngine(EngineCacheState.NoEngine, folder).StateName);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(cache, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }

    private EngineWarmup Warmup(params ExecutionProviderKind[] providers) => Warmup(null, providers);

    private EngineWarmup Warmup(string? faceModels, params ExecutionProviderKind[] providers)
    {
        var options = CpuSessions.Options(providers);
        options.CacheDirectory = cache;
        return new EngineWarmup(CpuSessions.Factory(options), logs, faceModels);
    }

    private string StaleEngineFolder()
    {
        var name = new EngineCacheKey(new string('f', 64), "1.0.0", "8.0.0", "old gpu", "fp16", "x:1").FolderName;
        return Directory.CreateDirectory(Path.Combine(cache, EngineCacheKey.RootFolderName, name)).FullName;
    }

    private sealed class RecordingProgress(Action<ModelWarmup>? onOpened = null) : IWarmupProgress
    {
        public List<string> Events { get; } = [];

        public List<ModelWarmup> Ready { get; } = [];

        public void Opening(int index, int count, string model, string file) => Events.Add($"opening {index}/{count} {model} {file}");

        public void Opened(ModelWarmup model)
        {
            Events.Add($"opened {model.Index}/{model.Count} {model.Model}");
            Ready.Add(model);
            onOpened?.Invoke(model);
        }
    }

    /// <summary>Every category logs into one list.</summary>
    private sealed class ListLoggerFactory : ILoggerFactory
    {
        private readonly ListLogger<EngineWarmup> logger = new();

        public IEnumerable<string> Messages => logger.Entries.Select(e => e.Message);

        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
