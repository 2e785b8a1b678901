namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// Stage latencies gathered between two health messages; <see cref="TakeMeans"/> gives the mean
/// per stage over the interval and starts the next one. Thread-safe: the pipeline adds, the
/// health loop takes.
/// </summary>
public sealed class StageLatencyWindow
{
    private readonly Lock gate = new();
    private Dictionary<string, (double Sum, long Count)> stages = new(StringComparer.Ordinal);

    public void Add(string stage, double milliseconds)
    {
        ArgumentNullException.ThrowIfNull(stage);
        lock (gate)
        {
            stages.TryGetValue(stage, out var entry);
            stages[stage] = (entry.Sum + milliseconds, entry.Count + 1);
        }
    }

    /// <summary>Mean milliseconds per stage since the previous call, rounded to microseconds; stages with no sample are absent.</summary>
    public IReadOnlyDictionary<string, double> TakeMeans()
    {
        Dictionary<string, (double Sum, long Count)> taken;
        lock (gate)
        {
            taken = stages;
            stages = new Dictionary<string, (double Sum, long Count)>(StringComparer.Ordinal);
        }

        return taken.ToDictionary(s => s.Key, s => Math.Round(s.Value.Sum / s.Value.Count, 3), StringComparer.Ordinal);
    }
}
