using EdgeEmotion.Runtime.Inference;

namespace EdgeEmotion.Runtime.Tests.Inference;

public sealed class InferenceOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_prefer_tensorrt() 
    {
        var options = new InferenceOptions();

        options.Validate();

        Assert.Equal([ExecutionProviderKind.TensorRt, ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu], options.Providers);
        Assert.True(options.TensorRt.Fp16);
    }

    public static TheoryData<string, Action<InferenceOptions>> BadSettings => new()
    {
        { "Providers is empty", o => o.Providers = [] },
        { "lists a provider twice", o => o.Providers = [ExecutionProviderKind.Cpu, ExecutionProviderKind.Cpu] },
        { "NativeLibraryPath '/nonexistent/libonnxruntime.so' does not exist", o => o.NativeLibraryPath = "/nonexistent/libonnxruntime.so" },
        { "DeviceId must be >= 0", o => o.DeviceId = -1 },
        { "IntraOpThreads must be >= 0", o => o.IntraOpThreads = -2 },
        { "WarmupRuns must be >= 0", o => o.WarmupRuns = -1 },
        { "CacheDirectory is empty", o => o.CacheDirectory = " " },
        { "MaxWorkspaceBytes must be positive", o => o.TensorRt.MaxWorkspaceBytes = 0 },
        { "BuilderOptimizationLevel must be 0-5", o => o.TensorRt.BuilderOptimizationLevel = 6 },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Each_bad_setting_is_named(string message, Action<InferenceOptions> spoil)
    {
        var options = new InferenceOptions();
        spoil(options);

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
