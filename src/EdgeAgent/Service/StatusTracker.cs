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

    public StatusMessage Current { get; private set; } = StatusMessage.Starting(deviceId, clock.GetUtcNow(), new ModelDescriptor(manifest.Id, manifest.Version, manifest.Task), sources);

    /// <summary>A new pack runs: the next output publishes a status naming it (and its modalities' sources).</summary>
    public void SwitchPack(PackManifest next, IReadOnlyDictionary<string, SourceKind> nextSources)
    {
        model = new ModelDescriptor(next.Id, next.Version, next.Task);
        sources = nextSources;
        Current = StatusMessage.Starting(deviceId, clock.GetUtcNow(), model, sources);
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
}
