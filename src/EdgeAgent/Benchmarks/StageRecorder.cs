namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>
/// Per-output milliseconds of named stages, in arrays sized up front: recording is a store, so the
/// measurement allocates nothing while the pipeline runs. Summaries are computed afterwards.
/// </summary>
internal sealed class StageRecorder
{
    private readonly string[] names;
    private readonly double[][] samples;
    private int count;

    public StageRecorder(IReadOnlyList<string> stages, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        names = [.. stages];
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException($"stage names repeat: {string.Join(", ", names)}", nameof(stages));
        }

        samples = names.Select(_ => new double[capacity]).ToArray();
    }

    public int Count => count;

    public int Capacity => samples[0].Length;

    /// <summary>The index <see cref="Set"/> takes for a stage name.</summary>
    public int IndexOf(string stage)
    {
        var index = Array.IndexOf(names, stage);
        return index >= 0 ? index : throw new ArgumentException($"no stage '{stage}' (has {string.Join(", ", names)})", nameof(stage));
    }

    /// <summary>Sets a stage's value for the output being recorded (it starts at 0 for every output).</summary>
    public void Set(int stage, double milliseconds)
    {
        if (count >= Capacity)
        {
            throw new InvalidOperationException($"the recorder is full ({Capacity} outputs)");
        }

        samples[stage][count] = milliseconds;
    }

    /// <summary>The current output is complete; the next <see cref="Set"/> calls fill the next one.</summary>
    public void Commit() => count++;

    /// <summary>Median, 99th percentile and mean of every stage over the outputs recorded, in stage order.</summary>
    public IReadOnlyDictionary<string, StageSummary> Summarize()
    {
        if (count == 0)
        {
            throw new InvalidOperationException("no output was recorded");
        }

        var result = new Dictionary<string, StageSummary>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            var values = samples[i].AsSpan(0, count);
            var sum = 0.0;
            foreach (var v in values)
            {
                sum += v;
            }

            result[names[i]] = new StageSummary(
                Math.Round(Percentiles.Of(values, 0.5), 3),
                Math.Round(Percentiles.Of(values, 0.99), 3),
                Math.Round(sum / count, 3));
        }

        return result;
    }
}
