using System.Text.Json.Serialization;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>An ONNX Runtime execution provider EdgeEmotion knows how to configure.</summary>
public enum ExecutionProviderKind
{
    [JsonStringEnumMemberName("tensorrt")]
    TensorRt,

    [JsonStringEnumMemberName("cuda")]
    Cuda,

    [JsonStringEnumMemberName("cpu")]
    Cpu,
}

public static class ExecutionProviderNames
{
    /// <summary>The name ONNX Runtime lists in <c>GetAvailableProviders()</c>.</summary>
    public static string OrtName(this ExecutionProviderKind kind) => kind switch
    {
        ExecutionProviderKind.TensorRt => "TensorrtExecutionProvider",
        ExecutionProviderKind.Cuda => "CUDAExecutionProvider",
        ExecutionProviderKind.Cpu => "CPUExecutionProvider",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The short name used in config files, logs and CLI output.</summary>
    public static string ConfigName(this ExecutionProviderKind kind) => kind switch
    {
        ExecutionProviderKind.TensorRt => "tensorrt",
        ExecutionProviderKind.Cuda => "cuda",
        ExecutionProviderKind.Cpu => "cpu",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// How a provider that ONNX Runtime lists is shown to users: the config name when EdgeEmotion
    /// configures it ("tensorrt"), ONNX Runtime's own name otherwise ("ROCMExecutionProvider").
    /// </summary>
    public static string DisplayName(string ortName) =>
        Enum.GetValues<ExecutionProviderKind>().Where(k => k.OrtName() == ortName).Select(k => k.ConfigName()).FirstOrDefault() ?? ortName;

    public static ExecutionProviderKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "tensorrt" or "trt" => ExecutionProviderKind.TensorRt,
        "cuda" => ExecutionProviderKind.Cuda,
        "cpu" => ExecutionProviderKind.Cpu,
        _ => throw new FormatException($"'{name}' is not an execution provider (tensorrt, cuda, cpu)"),
    };
}
