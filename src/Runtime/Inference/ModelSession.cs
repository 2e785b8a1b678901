using EdgeEmotion.Runtime.Packs;
using Microsoft.ML.OnnxRuntime;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>
/// One ONNX model ready to run on its chosen provider, with input and output tensors allocated
/// once, pinned and bound (<see cref="OrtIoBinding"/>) for the session's life: callers write
/// inputs in place, call <see cref="Run"/> and read outputs in place. Nothing is allocated or
/// marshalled per call, names included. One run at a time.
/// </summary>
public sealed class ModelSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly float[][] inputBuffers;
    private readonly float[][] outputBuffers;
    private readonly OrtValue[] inputValues;
    private readonly OrtValue[] outputValues;
    private readonly OrtIoBinding binding;
    private int running;
    private bool disposed;

    internal ModelSession(string name, ExecutionProviderKind provider, bool reducedPrecision, InferenceSession session, ModelFileSpec spec)
    {
        Name = name;
        Provider = provider;
        ReducedPrecision = reducedPrecision;
        Spec = spec;
        this.session = session;
        inputNames = spec.Inputs.Select(t => t.Name).ToArray();
        outputNames = spec.Outputs.Select(t => t.Name).ToArray();
        inputBuffers = spec.Inputs.Select(t => new float[t.ElementCount]).ToArray();
        outputBuffers = spec.Outputs.Select(t => new float[t.ElementCount]).ToArray();
        inputValues = spec.Inputs.Select((t, i) => OrtValue.CreateTensorValueFromMemory(inputBuffers[i], t.Shape.ToArray())).ToArray();
        outputValues = spec.Outputs.Select((t, i) => OrtValue.CreateTensorValueFromMemory(outputBuffers[i], t.Shape.ToArray())).ToArray();
        binding = session.CreateIoBinding();
        for (var i = 0; i < inputNames.Length; i++)
        {
            binding.BindInput(inputNames[i], inputValues[i]);
        }

        for (var i = 0; i < outputNames.Length; i++)
        {
            binding.BindOutput(outputNames[i], outputValues[i]);
        }
    }

    /// <summary>The model's name in its pack (<see cref="PackModelNames"/>): a stream name, "imagine.&lt;stream&gt;" or "fusion".</summary>
    public string Name { get; }

    public ExecutionProviderKind Provider { get; }

    /// <summary>True when the provider computes in FP16 (TensorRT with Fp16), so outputs differ from FP32 training.</summary>
    public bool ReducedPrecision { get; }

    /// <summary>"fp16" or "fp32": the precision the provider computes in, which picks the golden tolerance.</summary>
    public string Precision => ProviderOptionsMapping.Precision(ReducedPrecision);

    /// <summary>Where the TensorRT engine came from; null when the model does not run on TensorRT.</summary>
    public TensorRtEngine? Engine { get; internal set; }

    /// <summary>How long opening took: the CPU reference load, any provider that failed, then load and warm-up on this one (a TensorRT engine build included).</summary>
    public TimeSpan OpenTime { get; internal set; }

    public ModelFileSpec Spec { get; }

    /// <summary>The underlying session, for benchmarks that compare against a bare run.</summary>
    public InferenceSession InnerSession => session;

    public Span<float> Input(int index) => inputBuffers[index];

    public Span<float> Input(string name) => inputBuffers[IndexOf(inputNames, name, "input")];

    public ReadOnlySpan<float> Output(int index) => outputBuffers[index];

    public ReadOnlySpan<float> Output(string name) => outputBuffers[IndexOf(outputNames, name, "output")];

    /// <summary>Runs the model on the current input buffers, writing the output buffers.</summary>
    /// <exception cref="OperationCanceledException">The token fired; the run was terminated.</exception>
    public void Run(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Interlocked.Exchange(ref running, 1) != 0)
        {
            throw new InvalidOperationException($"model '{Name}' is already running: a ModelSession serves one run at a time");
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using (cancellationToken.CanBeCanceled
                    ? cancellationToken.UnsafeRegister(static state => ((RunOptions)state!).Terminate = true, runOptions)
                    : default)
                {
                    session.RunWithBinding(runOptions, binding);
                }
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"run of model '{Name}' was cancelled", cancellationToken);
            }
        }
        finally
        {
            // The token may fire after the run ended but before the registration went away: a
            // Terminate flag left set would abort the next run.
            if (runOptions.Terminate)
            {
                runOptions.Terminate = false;
            }

            Volatile.Write(ref running, 0);
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        binding.Dispose();
        foreach (var value in inputValues.Concat(outputValues))
        {
            value.Dispose();
        }

        runOptions.Dispose();
        session.Dispose();
    }

    private static int IndexOf(string[] names, string name, string what)
    {
        var index = Array.IndexOf(names, name);
        return index >= 0 ? index : throw new ArgumentException($"no {what} tensor named '{name}' (has {string.Join(", ", names)})", nameof(name));
    }
}
