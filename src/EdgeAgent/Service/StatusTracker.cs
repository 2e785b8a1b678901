using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Service;

/// <summary>
/// The retained status as outputs come: changes only when the device state or a modality's state
/// or reason changes, so the status topic carries transitions, not a copy of every score.
/// </summary>
internal sealed class StatusTracker(string deviceId, PackManifest manifest, IReadOnlyDictionary<string, SourceKind> sources, TimeProvider clock)
{
    private ModelDescriptor model = new(manifest.Id, manifest.Version, manifest.Task);
    private IReadOnlyDictionary<string, SourceKind> sources = sources;
    private long? queueChangedAt;

    public StatusMessage Current { get; private set; } = StatusMessage.Starting(deviceId, clock.GetUtcNow(), new ModelDescriptor(manifest.Id, manifest.Version, manifest.Task), sources);

    /// <summary>A new pack runs: the next output publishes a status naming it (and its modalities' sources).</summary>
    public void SwitchPack(PackManifest next, IReadOnlyDictionary<string, SourceKind> nextSources)
    {
        model = new ModelDescriptor(next.Id, next.Version, next.Task);
        sources = nextSources;
        Current = StatusMessage.Starting(deviceId, clock.GetUtcNow(), model, sources) with { Queue = Current.Queue };
    }

    /// <returns>True when the status changed and should be published.</returns>
    public bool Update(ScoreOutput output)
    {
        var next = StatusMessage.ForModalities(deviceId, model, output.Modalities, sources, clock.GetUtcNow(), Current);
        var changed = next.State != Current.State
            || next.Modalities.Count != Current.Modalities.Count
            || next.Modalities.Any(m => !Current.Modalities.TryGetValue(m.Key, out var before) || before != m.Value);
        if (changed)
        {
            Current = next;
        }

        return changed;
    }

    /// <summary>
    /// Takes the queue's state: a change of writability is published at once; a new drop count
    /// at most once per <paramref name="dropInterval"/>, so a full disk does not republish the
    /// retained status with every score.
    /// </summary>
    /// <returns>True when the status changed and should be published.</returns>
    public bool UpdateQueue(IScoreQueue queue, TimeSpan dropInterval)
    {
        var error = queue.WriteError;
        var next = new QueueStatus(error is null, queue.Dropped, error);
        var before = Current.Queue;
        var now = clock.GetTimestamp();
        var changed = before is null
            || before.Writable != next.Writable
            || before.WriteError != next.WriteError
            || (before.Dropped != next.Dropped && (queueChangedAt is not { } at || clock.GetElapsedTime(at, now) >= dropInterval));
        if (changed)
        {
            Current = Current with { Queue = next };
            queueChangedAt = now;
        }

        return changed;
    }
}
