using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Service;

/// <summary>The pack the agent scores with: its sessions, its pipeline, the providers chosen for it and what feeds each of its modalities.</summary>
internal sealed class LivePack(ModelPack pack, PackSessions sessions, IReadOnlyDictionary<string, string> providers, IReadOnlyDictionary<string, SourceKind> sources) : IDisposable
{
    private int disposed;

    public ModelPack Pack { get; } = pack;

    public PackSessions Sessions { get; } = sessions;

    public IReadOnlyDictionary<string, string> Providers { get; } = providers;

    /// <summary>Source kind per modality name, as every message says it.</summary>
    public IReadOnlyDictionary<string, SourceKind> Sources { get; } = sources;

    public StreamingPipeline? Pipeline { get; set; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        Pipeline?.Dispose();
        Sessions.Dispose();
    }
}

/// <summary>Counts a new pack's outputs that came with scores; completes once it has seen <c>needed</c>.</summary>
internal sealed class HealthGate(int needed)
{
    private readonly TaskCompletionSource passed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int seen;

    public int Seen => Volatile.Read(ref seen);

    public Task Passed => passed.Task;

    public void Observe(ScoreOutput output)
    {
        if (output.Scores is { Count: > 0 } && Interlocked.Increment(ref seen) >= needed)
        {
            passed.TrySetResult();
        }
    }
}
