using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Inference;

public sealed class ModelSessionTests
{
    [Fact]
    public void Providers_missing_from_the_native_build_are_skipped_for_the_next()
    {
        var pack = ModelPackLoader.Load(TestPaths.Pack("pain-tiny"));
        var factory = CpuSessions.Factory(CpuSessions.Options(ExecutionProviderKind.TensorRt, ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu));

        using var session = factory.Open(pack, "fusion", pack.Manifest.Fusion!.AsModelFile());

        Assert.Equal(ExecutionProviderKind.Cpu, session.Provider);
    }

    [Fact]
    public void A_chain_without_a_usable_provider_says_why_for_each()
    {
        var pack = ModelPackLoader.Load(TestPaths.Pack("pain-tiny"));
        var factory = CpuSessions.Factory(CpuSessions.Options(ExecutionProviderKind.TensorRt, ExecutionProviderKind.Cuda));

        var e = Assert.Throws<ExecutionProviderException>(() => factory.Open(pack, "fusion", pack.Manifest.Fusion!.AsModelFile()));

        Assert.Contains("tensorrt: not in this ONNX Runtime build", e.Message, StringComparison.Ordinal);
        Assert.Contains("cuda: not in this ONNX Runtime build", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_write_the_same_preallocated_output_buffers()
    {
        using var sessions = CpuSessions.Open(TestPaths.Pack("affect-tiny"));
        var fusion = sessions.Fusion!;
        var c = sessions.Pack.Manifest.Golden.Cases.First(x => x.Model == "fusion");
        foreach (var (i, t) in fusion.Spec.Inputs.Index())
        {
            NpyArray.Read(sessions.Pack.PathOf(c.Inputs[t.Name])).Data.CopyTo(fusion.Input(i));
        }

        fusion.Run();
        var firstBuffer = fusion.Output("valence");
        var first = firstBuffer.ToArray();
        fusion.Input(0).Clear();
        fusion.Run();
        var secondBuffer = fusion.Output("valence");
        var second = secondBuffer.ToArray();

        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(firstBuffer), ref MemoryMarshal.GetReference(secondBuffer)));

        Assert.Equal(fusion.Spec.Outputs.First(o => o.Name == "valence").ElementCount, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Steady_state_runs_allocate_no_tensors()
    {
        using var sessions = CpuSessions.Open(TestPaths.Pack("pain-tiny"));
        var fusion = sessions.Fusion!;
        fusion.Run();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            fusion.Run();
        }

        var perRun = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;

        // A fusion output alone is 5 x 5 floats; allocating any tensor per call would show here.
        Assert.True(perRun < 64, $"{perRun} managed bytes allocated per run");
    }

    [Fact]
    public void A_cancelled_token_stops_the_run()
    {
        using var sessions = CpuSessions.Open(TestPaths.Pack("pain-tiny"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => sessions.Fusion!.Run(cts.Token));
        sessions.Fusion!.Run(); // and the session still serves the next run
    }

    [Fact]
    public void Unknown_tensor_names_are_refused()
    {
        using var sessions = CpuSessions.Open(TestPaths.Pack("pain-tiny"));

        var e = Assert.Throws<ArgumentException>(() => sessions.Fusion!.Input("video"));

        Assert.Contains("visual_features", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_session_refuses_to_run()
    {
        var sessions = CpuSessions.Open(TestPaths.Pack("pain-tiny"));
        var fusion = sessions.Fusion!;
        sessions.Dispose();

        Assert.Throws<ObjectDisposedException>(() => fusion.Run());
    }
}
