using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// Turns the score model's outputs (the fusion head's, or a pack's only backbone's) for the newest
/// clip into scores: each output's values are read at the newest position of its layout
/// (<see cref="ScoreLayout"/>: time axis 0 or 1, or window-level); regression outputs clipped to
/// the pack's range (the heads have no tanh), probabilities kept in [0, 1], class logits turned
/// into a level (argmax), class probabilities (softmax) and the expected level; class
/// probabilities (the model's own softmax, unordered classes such as expressions) taken as they
/// are: the level (argmax), its label and its probability, no second softmax and no expected
/// level. Optionally a moving average over the pack's smoothingFrames (of each class's
/// probability for class probabilities, the level then being the argmax of the averages). A fusion output that is not a finite number
/// gives no scores at all: a number nobody can trust is never published.
/// </summary>
internal sealed class ScorePostProcessor
{
    /// <summary>The score model's output tensor of a name, row-major.</summary>
    public delegate ReadOnlySpan<float> ScoreTensors(string name);

    private readonly PackManifest manifest;
    private readonly ScoreLayout[] layouts;
    private readonly Dictionary<string, Queue<double>> recent = new(StringComparer.Ordinal);
    private readonly int? hop;

    /// <param name="smoothingHop">Frames between outputs when smoothing is on; null turns it off.</param>
    public ScorePostProcessor(PackManifest manifest, int? smoothingHop)
    {
        this.manifest = manifest;
        var tensors = manifest.ScoreModel.Outputs;
        layouts = [.. manifest.Outputs.Select(o => ScoreLayout.Of(manifest, tensors.Single(t => t.Name == o.Name), o))];
        hop = smoothingHop;
    }

    /// <returns>The scores; null when the score model gave a value that is not finite (NaN or infinite).</returns>
    public IReadOnlyList<ScoreValue>? Process(ModelSession scoreModel) => Process(scoreModel.Output);

    /// <param name="tensor">The score model's output tensor of a name, row-major.</param>
    public IReadOnlyList<ScoreValue>? Process(ScoreTensors tensor)
    {
        for (var o = 0; o < layouts.Length; o++)
        {
            foreach (var value in Newest(tensor, o))
            {
                if (!float.IsFinite(value))
                {
                    Skip();
                    return null;
                }
            }
        }

        var scores = new List<ScoreValue>(manifest.Outputs.Count);
        for (var o = 0; o < layouts.Length; o++)
        {
            var output = manifest.Outputs[o];
            var newest = Newest(tensor, o);
            switch (output.Kind)
            {
                case OutputKinds.ClassLogits:
                    var probabilities = Softmax(newest);
                    var level = Array.IndexOf(probabilities, probabilities.Max());
                    var expected = 0.0;
                    for (var i = 0; i < probabilities.Length; i++)
                    {
                        expected += probabilities[i] * i;
                    }

                    scores.Add(new ScoreValue(output.Name, Smooth(output, output.Name, expected), level, probabilities));
                    break;
                case OutputKinds.ClassProbabilities:
                    var given = new double[newest.Length];
                    for (var i = 0; i < given.Length; i++)
                    {
                        given[i] = Smooth(output, $"{output.Name}[{i}]", newest[i]);
                    }

                    var top = Array.IndexOf(given, given.Max());
                    scores.Add(new ScoreValue(output.Name, given[top], top, given, output.Classes![top]));
                    break;
                default:
                    var value = Math.Clamp(newest[0], output.Min!.Value, output.Max!.Value);
                    scores.Add(new ScoreValue(output.Name, Smooth(output, output.Name, value)));
                    break;
            }
        }

        return scores;
    }

    /// <summary>Output <paramref name="index"/>'s values at the newest clip position (one, or one per class).</summary>
    private ReadOnlySpan<float> Newest(ScoreTensors tensor, int index)
    {
        var layout = layouts[index];
        return tensor(manifest.Outputs[index].Name).Slice(layout.NewestOffset, layout.Values);
    }

    /// <summary>Values the moving averages hold (bounded by smoothingFrames / hop per output).</summary>
    public int SmoothingValues => recent.Values.Sum(q => q.Count);

    /// <summary>An output without scores breaks the run of values a moving average may span.</summary>
    public void Skip() => recent.Clear();

    /// <param name="series">The averaged series: the output's name, or one class's of it.</param>
    private double Smooth(OutputSpec output, string series, double value)
    {
        if (hop is not { } h || output.SmoothingFrames is not { } frames)
        {
            return value;
        }

        var length = Math.Max(1, (int)Math.Round((double)frames / h));
        if (!recent.TryGetValue(series, out var queue))
        {
            recent[series] = queue = new Queue<double>(length);
        }

        queue.Enqueue(value);
        while (queue.Count > length)
        {
            queue.Dequeue();
        }

        // In queue order, as Enumerable.Average adds them: the same bits, without an enumerator.
        var sum = 0.0;
        foreach (var v in queue)
        {
            sum += v;
        }

        return sum / queue.Count;
    }

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var result = new double[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = Math.Exp(logits[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }
}
