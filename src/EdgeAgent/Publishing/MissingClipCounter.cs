using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// Outputs in which each modality was missing (held, substituted or imagined), by reason, since
/// start: how health says why a modality keeps dropping out (<c>no face</c>, <c>face turned away</c>,
/// <c>silent</c>, ...). Counted on the scoring loop, read by the health reporter: thread-safe.
/// </summary>
public sealed class MissingClipCounter
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<string, SortedDictionary<string, long>> counts = new(StringComparer.Ordinal);

    public void Observe(ScoreOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (gate)
        {
            foreach (var (modality, report) in output.Modalities)
            {
                if (report.Reason is not { } reason)
                {
                    continue;
                }

                if (!counts.TryGetValue(modality, out var reasons))
                {
                    counts[modality] = reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
                }

                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
        }
    }

    /// <summary>A copy: modality, then reason, then outputs (ordinal order, so messages compare).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Snapshot()
    {
        lock (gate)
        {
            return counts.ToDictionary(
                m => m.Key,
                m => (IReadOnlyDictionary<string, long>)new SortedDictionary<string, long>(m.Value, StringComparer.Ordinal),
                StringComparer.Ordinal);
        }
    }
}
