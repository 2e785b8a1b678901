using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>Scores per-frame predictions against label columns: CCC for continuous outputs, accuracy for levels, and MAE for ordered levels.</summary>
public static class Scorer
{
    public const double ProbabilityThreshold = 0.5;

    public static AssignmentFigures Score(
        FramePredictions predictions, IReadOnlyList<LabelColumn> labels, PackManifest manifest, IReadOnlyDictionary<string, int>? smoothing)
    {
        var figures = labels.Select(l => l.Kind == LabelKind.Level
            ? ScoreLevel(predictions, l, manifest)
            : ScoreContinuous(predictions, l, smoothing?.GetValueOrDefault(l.Output) is { } w and > 0 ? w : null)).ToList();
        return new AssignmentFigures(
            PredictionCsv.Name(predictions.Assignment),
            predictions.FramesBeforeFirstOutput, predictions.FramesNoSignal, figures);
    }

    private static OutputFigures ScoreContinuous(FramePredictions predictions, LabelColumn labels, int? smoothing)
    {
        var (x, y, unlabelled, missing) = Pairs(predictions.Values[labels.Output], labels.Values, predictions.Frames);
        var ccc = ConcordanceCorrelation.Compute(x, y);
        return new OutputFigures(labels.Output, "continuous", x.Count, unlabelled, missing, smoothing, ccc.Value, ccc.Undefined,
            Mean(x), Std(x), Mean(y), Std(y), null, null, null);
    }

    private static OutputFigures ScoreLevel(FramePredictions predictions, LabelColumn labels, PackManifest manifest)
    {
        var (x, y, unlabelled, missing) = Pairs(predictions.Values[labels.Output], labels.Values, predictions.Frames);
        double? accuracy = x.Count == 0 ? null : x.Zip(y).Count(p => p.First == p.Second) / (double)x.Count;
        // Unordered classes (class probabilities: expressions) have no distance between levels, so no MAE.
        var ordered = manifest.Outputs.First(o => o.Name == labels.Output).Kind != OutputKinds.ClassProbabilities;
        double? mae = x.Count == 0 || !ordered ? null : x.Zip(y).Average(p => Math.Abs(p.First - p.Second));

        // A pack with one probability output (pain_probability: any level above the baseline) gets the binary reading too.
        BinaryFigures? binary = null;
        var probabilities = manifest.Outputs.Where(o => o.Kind == OutputKinds.Probability).ToList();
        if (probabilities.Count == 1)
        {
            var (p, l, _, _) = Pairs(predictions.Values[probabilities[0].Name], labels.Values, predictions.Frames);
            binary = new BinaryFigures(probabilities[0].Name, p.Count,
                p.Count == 0 ? null : p.Zip(l).Count(q => (q.First >= ProbabilityThreshold) == (q.Second > 0)) / (double)p.Count);
        }

        return new OutputFigures(labels.Output, "level", x.Count, unlabelled, missing, null, null, null,
            Mean(x), Std(x), Mean(y), Std(y), accuracy, mae, binary);
    }

    // Frames with both a label and a prediction; labels may stop one frame short of the video.
    private static (List<double> Predictions, List<double> Labels, int Unlabelled, int NoPrediction) Pairs(
        double?[] predictions, IReadOnlyList<double?> labels, int frames)
    {
        var x = new List<double>();
        var y = new List<double>();
        int unlabelled = 0, missing = 0;
        for (var i = 0; i < frames; i++)
        {
            if (i >= labels.Count || labels[i] is not { } label)
            {
                unlabelled++;
            }
            else if (predictions[i] is not { } prediction)
            {
                missing++;
            }
            else
            {
                x.Add(prediction);
                y.Add(label);
            }
        }

        return (x, y, unlabelled, missing);
    }

    private static double? Mean(List<double> values) => values.Count == 0 ? null : values.Average();

    // Population standard deviation, as the CCC uses.
    private static double? Std(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
