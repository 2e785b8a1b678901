using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Golden;

/// <summary>The outcome of one golden case: a model's outputs against PyTorch's.</summary>
/// <param name="Provider">The provider that ran the model (tensorrt, cuda, cpu).</param>
/// <param name="Precision">fp16 or fp32: FP16 cases are held to the pack's fp16Tolerance.</param>
/// <param name="Tolerance">The tolerance applied, chosen by <paramref name="Precision"/>.</param>
/// <param name="WorstOutput">The output tensor whose error is <paramref name="MaxAbsError"/> (null when the case did not run).</param>
public sealed record GoldenResult(
    string Model,
    string File,
    string Provider,
    string Precision,
    double MaxAbsError,
    double Tolerance,
    string? Problem = null,
    string? WorstOutput = null)
{
    public bool Passed => Problem is null && MaxAbsError <= Tolerance;

    /// <summary>The golden cases behind <see cref="MaxAbsError"/>.</summary>
    public int Cases { get; init; } = 1;
}

/// <summary>
/// Runs a pack's golden cases: feeds the exported inputs to each opened model and compares the
/// outputs with what PyTorch produced. This is the parity contract between training and edge, so
/// a model without a case (a stream backbone, an imagination model, the fusion head) fails too.
/// </summary>
public static class GoldenSelfTest
{
    public static IReadOnlyList<GoldenResult> Run(PackSessions sessions, CancellationToken cancellationToken = default)
    {
        var pack = sessions.Pack;
        var golden = pack.Manifest.Golden;
        var results = new List<GoldenResult>();
        foreach (var c in golden.Cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var session = sessions[c.Model];
            var provider = session.Provider.ConfigName();
            var tolerance = session.ReducedPrecision ? golden.Fp16Tolerance ?? golden.Tolerance : golden.Tolerance;
            try
            {
                foreach (var (i, tensor) in session.Spec.Inputs.Index())
                {
                    var input = Load(pack, c.Inputs[tensor.Name], tensor);
                    input.Data.CopyTo(session.Input(i));
                }

                session.Run(cancellationToken);

                var maxError = 0.0;
                string? worst = null;
                foreach (var (i, tensor) in session.Spec.Outputs.Index())
                {
                    var expected = Load(pack, c.Outputs[tensor.Name], tensor);
                    var error = MaxAbsError(session.Output(i), expected.Data);
                    if (worst is null || error > maxError)
                    {
                        (maxError, worst) = (error, tensor.Name);
                    }
                }

                results.Add(new GoldenResult(c.Model, session.Spec.File, provider, session.Precision, maxError, tolerance, WorstOutput: worst));
            }
            catch (InvalidDataException e)
            {
                results.Add(new GoldenResult(c.Model, session.Spec.File, provider, session.Precision, double.NaN, tolerance, e.Message));
            }
        }

        // Nothing proves a model without a case: it fails rather than pass unseen.
        foreach (var (model, spec) in PackSessions.Models(pack.Manifest).Where(m => !golden.Cases.Any(c => c.Model == m.Name)))
        {
            var session = sessions[model];
            var tolerance = session.ReducedPrecision ? golden.Fp16Tolerance ?? golden.Tolerance : golden.Tolerance;
            results.Add(new GoldenResult(model, spec.File, session.Provider.ConfigName(), session.Precision, double.NaN, tolerance,
                $"no golden case: nothing compares model '{model}' with PyTorch"));
        }

        return results;
    }

    /// <summary>Largest |a - b|; NaN anywhere counts as infinitely wrong.</summary>
    public static double MaxAbsError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"lengths differ: {actual.Length} vs {expected.Length}");
        }

        var max = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var d = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(d))
            {
                return double.PositiveInfinity;
            }

            max = Math.Max(max, d);
        }

        return max;
    }

    private static NpyArray Load(ModelPack pack, string file, TensorSpec tensor)
    {
        var array = NpyArray.Read(pack.PathOf(file));
        if (!array.Shape.SequenceEqual(tensor.Shape))
        {
            throw new InvalidDataException($"{file} has shape {array.ShapeText} but tensor '{tensor.Name}' is {tensor.ShapeText}");
        }

        return array;
    }
}
