using EdgeEmotion.Runtime.Inference;

namespace EdgeEmotion.Runtime.Tests.Inference;

public sealed class ExecutionProviderNamesTests
{
    [Theory]
    [InlineData("TensorrtExecutionProvider", "tensorrt")]
    [InlineData("CUDAExecutionProvider", "cuda")]
    [InlineData("CPUExecutionProvider", "cpu")]
    [InlineData("ROCMExecutionProvider", "ROCMExecutionProvider")]
    public void Listed_providers_show_by_their_config_name_or_as_listed(string ortName, string shown) =>
        Assert.Equal(shown, ExecutionProviderNames.DisplayName(ortName));

    [Fact]
    public void Every_configurable_provider_round_trips_through_its_onnx_runtime_name()
    {
        foreach (var kind in Enum.GetValues<ExecutionProviderKind>())
        {
            Assert.Equal(kind, ExecutionProviderNames.Parse(ExecutionProviderNames.DisplayName(kind.OrtName())));
        }
    }
}
