namespace EdgeEmotion.Runtime.Inference;

/// <summary>How models are run. Bound from the config file's <c>Inference</c> section.</summary>
public sealed class InferenceOptions
{
    /// <summary>Providers in order of preference; each is tried only if the native library offers it.</summary>
    public List<ExecutionProviderKind> Providers { get; set; } =
        [ExecutionProviderKind.TensorRt, ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu];

    /// <summary>
    /// Path of the native libonnxruntime.so to load instead of the NuGet one (a Jetson build with
    /// TensorRT). Null uses the library shipped with the package.
    /// </summary>
    public string? NativeLibraryPath { get; set; }

    public int DeviceId { get; set; }

    /// <summary>Threads for one operator on the CPU provider; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Runs made after a session opens, to prove the provider works before it is trusted.</summary>
    public int WarmupRuns { get; set; } = 1;

    /// <summary>Root for TensorRT engine and timing caches (/var/cache/edgeemo on the device).</summary>
    public string CacheDirectory { get; set; } = "/var/cache/edgeemo";

    public TensorRtOptions TensorRt { get; set; } = new();

    public CudaOptions Cuda { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Providers.Count == 0)
        {
            throw new ArgumentException("Inference.Providers is empty: list at least one of tensorrt, cuda, cpu");
        }

        if (Providers.Distinct().Count() != Providers.Count)
        {
            throw new ArgumentException($"Inference.Providers lists a provider twice: {string.Join(", ", Providers.Select(p => p.ConfigName()))}");
        }

        if (NativeLibraryPath is not null && !File.Exists(NativeLibraryPath))
        {
            throw new ArgumentException($"Inference.NativeLibraryPath '{NativeLibraryPath}' does not exist");
        }

        if (DeviceId < 0)
        {
            throw new ArgumentException($"Inference.DeviceId must be >= 0, not {DeviceId}");
        }

        if (IntraOpThreads < 0)
        {
            throw new ArgumentException($"Inference.IntraOpThreads must be >= 0, not {IntraOpThreads}");
        }

        if (WarmupRuns < 0)
        {
            throw new ArgumentException($"Inference.WarmupRuns must be >= 0, not {WarmupRuns}");
        }

        if (string.IsNullOrWhiteSpace(CacheDirectory))
        {
            throw new ArgumentException("Inference.CacheDirectory is empty");
        }

        TensorRt.Validate();
    }
}

public sealed class TensorRtOptions
{
    public bool Fp16 { get; set; } = true;

    public bool EngineCache { get; set; } = true;

    public bool TimingCache { get; set; } = true;

    /// <summary>Builder workspace; 1 GiB suits an Orin's shared memory.</summary>
    public long MaxWorkspaceBytes { get; set; } = 1L << 30;

    /// <summary>TensorRT builder optimisation level 0-5 (3 is TensorRT's default).</summary>
    public int BuilderOptimizationLevel { get; set; } = 3;

    public void Validate()
    {
        if (MaxWorkspaceBytes <= 0)
        {
            throw new ArgumentException($"Inference.TensorRt.MaxWorkspaceBytes must be positive, not {MaxWorkspaceBytes}");
        }

        if (BuilderOptimizationLevel is < 0 or > 5)
        {
            throw new ArgumentException($"Inference.TensorRt.BuilderOptimizationLevel must be 0-5, not {BuilderOptimizationLevel}");
        }
    }
}

public sealed class CudaOptions
{
    /// <summary>Exhaustive cuDNN search is slow to start; heuristic is the edge default.</summary>
    public bool ExhaustiveConvSearch { get; set; }

    /// <summary>Arena limit in bytes; 0 leaves ONNX Runtime's default.</summary>
    public long MemoryLimitBytes { get; set; }
}
