using System.Diagnostics;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>
/// Opens a pack's ONNX models on the first configured provider that the native library offers
/// and that survives a warm-up run; logs which provider runs each model.
/// </summary>
public sealed partial class ModelSessionFactory
{
    private readonly InferenceOptions options;
    private readonly ILogger logger;
    private readonly Lazy<AcceleratorInfo> accelerator;

    public ModelSessionFactory(InferenceOptions options, ILogger<ModelSessionFactory> logger, AcceleratorInfo? accelerator = null)
    {
        options.Validate();
        this.options = options;
        this.logger = logger;
        this.accelerator = new Lazy<AcceleratorInfo>(() => accelerator ?? AcceleratorInfo.Probe());
    }

    /// <summary>The validated options sessions are opened with.</summary>
    public InferenceOptions Options => options;

    /// <summary>The TensorRT version and GPU of this machine (probed once, on first use).</summary>
    public AcceleratorInfo Accelerator => accelerator.Value;

    /// <summary>Opens one model of the pack.</summary>
    /// <param name="name">The model's name (<see cref="PackModelNames"/>): a stream name, "imagine.&lt;stream&gt;" or "fusion".</param>
    /// <exception cref="ModelPackException">The file is not a loadable ONNX model or disagrees with the manifest.</exception>
    /// <exception cref="ExecutionProviderException">No configured provider could run the model.</exception>
    public ModelSession Open(ModelPack pack, string name, ModelFileSpec spec)
    {
        var path = pack.PathOf(spec.File);
        var available = OnnxRuntimeLibrary.AvailableProviders;

        // The CPU provider is the reference: if it cannot load the file, the file is bad, and
        // whatever a GPU provider would say about it is noise.
        var clock = Stopwatch.StartNew();
        var opening = Stopwatch.StartNew();
        InferenceSession? cpuSession;
        try
        {
            using var cpuOptions = CreateSessionOptions(name);
            cpuSession = new InferenceSession(path, cpuOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelPackException(PackErrorKind.InvalidModel, spec.File, $"ONNX Runtime cannot load the model: {e.Message}", e);
        }

        IReadOnlyList<TensorSpec> dynamicInputs;
        try
        {
            dynamicInputs = ModelSignature.Check(spec.File, cpuSession, spec, ManifestPaths.Model(pack.Manifest, name));
        }
        catch
        {
            cpuSession.Dispose();
            throw;
        }

        var failures = new List<string>();
        foreach (var provider in options.Providers)
        {
            var providerName = provider.ConfigName();
            if (!available.Contains(provider.OrtName()))
            {
                LogProviderAbsent(providerName, name);
                failures.Add($"{providerName}: not in this ONNX Runtime build");
                continue;
            }

            ModelSession? candidate = null;
            try
            {
                string? engineFolder = null;
                EngineFileSnapshot? enginesBefore = null;
                if (provider == ExecutionProviderKind.Cpu)
                {
                    candidate = new ModelSession(name, provider, reducedPrecision: false, cpuSession ?? throw new InvalidOperationException("CPU listed twice"), spec);
                    cpuSession = null;
                }
                else
                {
                    using var sessionOptions = CreateSessionOptions(name, provider, pack, spec, dynamicInputs, out engineFolder);
                    // Taken before the session exists: creating it is what builds or loads the engine.
                    enginesBefore = engineFolder is null ? null : EngineFileSnapshot.Take(engineFolder);
                    var fp16 = provider == ExecutionProviderKind.TensorRt && options.TensorRt.Fp16;
                    candidate = new ModelSession(name, provider, fp16, new InferenceSession(path, sessionOptions), spec);
                }

                var loadMs = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                for (var i = 0; i < options.WarmupRuns; i++)
                {
                    candidate.Run();
                }

                if (provider == ExecutionProviderKind.TensorRt)
                {
                    candidate.Engine = enginesBefore is null || engineFolder is null
                        ? new TensorRtEngine(EngineCacheState.CacheOff, null)
                        : new TensorRtEngine(enginesBefore.Compare(EngineFileSnapshot.Take(engineFolder)), engineFolder);
                    LogEngineState(name, candidate.Engine.StateName, candidate.Engine.CacheFolder ?? "(cache off)");
                }

                candidate.OpenTime = opening.Elapsed;
                LogModelReady(name, pack.Id, providerName, loadMs, clock.Elapsed.TotalMilliseconds);
                cpuSession?.Dispose();
                return candidate;
            }
            // IOException and UnauthorizedAccessException: the engine cache folder cannot be made or read.
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or IOException or UnauthorizedAccessException)
            {
                candidate?.Dispose();
                LogProviderFailed(e, providerName, name);
                failures.Add($"{providerName}: {e.Message}");
                clock.Restart();
            }
        }

        cpuSession?.Dispose();
        throw new ExecutionProviderException(
            $"no configured provider could run model '{name}' ({spec.File}): {string.Join("; ", failures)}");
    }

    private SessionOptions CreateSessionOptions(string name)
    {
        var so = new SessionOptions
        {
            LogId = name,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (options.IntraOpThreads > 0)
        {
            so.IntraOpNumThreads = options.IntraOpThreads;
        }

        // Each session has its own intra-op pool; idle pools spinning after a run take the cores
        // another model (the visual backbone after the face nets) needs on a small CPU.
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return so;
    }

    /// <param name="engineFolder">The keyed engine cache folder, when TensorRT runs with its engine cache on.</param>
    private SessionOptions CreateSessionOptions(
        string name, ExecutionProviderKind provider, ModelPack pack, ModelFileSpec spec, IReadOnlyList<TensorSpec> dynamicInputs,
        out string? engineFolder)
    {
        engineFolder = null;
        var so = CreateSessionOptions(name);
        try
        {
            if (provider == ExecutionProviderKind.TensorRt)
            {
                var info = accelerator.Value;
                var key = EngineCacheKey.For(pack.Manifest, spec, OnnxRuntimeLibrary.Version, info, ProviderOptionsMapping.Precision(options.TensorRt));
                var settings = ProviderOptionsMapping.TensorRt(options, key, dynamicInputs);
                engineFolder = settings.GetValueOrDefault("trt_engine_cache_path");
                foreach (var folder in new[] { "trt_engine_cache_path", "trt_timing_cache_path" })
                {
                    if (settings.TryGetValue(folder, out var dir))
                    {
                        Directory.CreateDirectory(dir);
                    }
                }

                LogEngineCache(name, key.FolderName, info.TensorRtVersion, info.Gpu);
                using var trt = new OrtTensorRTProviderOptions();
                trt.UpdateOptions(settings);
                so.AppendExecutionProvider_Tensorrt(trt);
            }

            // CUDA also backs TensorRT for any node TensorRT does not take.
            if (provider is ExecutionProviderKind.TensorRt or ExecutionProviderKind.Cuda
                && OnnxRuntimeLibrary.AvailableProviders.Contains(ExecutionProviderKind.Cuda.OrtName()))
            {
                using var cuda = new OrtCUDAProviderOptions();
                cuda.UpdateOptions(ProviderOptionsMapping.Cuda(options));
                so.AppendExecutionProvider_CUDA(cuda);
            }

            return so;
        }
        catch
        {
            so.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Provider {Provider} is not in this ONNX Runtime build; skipped for model {Model}")]
    private partial void LogProviderAbsent(string provider, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} failed for model {Model}; trying the next one")]
    private partial void LogProviderFailed(Exception exception, string provider, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} of pack {Pack} runs on {Provider} (load {LoadMs:F0} ms, warm-up {WarmupMs:F0} ms)")]
    private partial void LogModelReady(string model, string pack, string provider, double loadMs, double warmupMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: TensorRT engine cache {CacheKey} (TensorRT {TensorRtVersion}, GPU {Gpu})")]
    private partial void LogEngineCache(string model, string cacheKey, string tensorRtVersion, string gpu);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: TensorRT engine {EngineState} in {CacheFolder}")]
    private partial void LogEngineState(string model, string engineState, string cacheFolder);
}

/// <summary>No configured execution provider could run a model.</summary>
public sealed class ExecutionProviderException(string message) : Exception(message);
