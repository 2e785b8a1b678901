using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.Runtime.Tests;

/// <summary>Opens packs the way the service does, on the CPU provider this machine has.</summary>
internal static class CpuSessions
{
    public static InferenceOptions Options(params ExecutionProviderKind[] providers) => new()
    {
        Providers = providers.Length == 0 ? [ExecutionProviderKind.Cpu] : [.. providers],
        CacheDirectory = Path.Combine(Path.GetTempPath(), "edgeemo-test-cache"),
        IntraOpThreads = 1,
    };

    public static ModelSessionFactory Factory(InferenceOptions? options = null) =>
        new(options ?? Options(), NullLogger<ModelSessionFactory>.Instance, AcceleratorInfo.None);

    public static PackSessions Open(string packDirectory) =>
        PackSessions.Open(ModelPackLoader.Load(packDirectory), Factory());
}
