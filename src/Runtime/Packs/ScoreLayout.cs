namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// Where one output's values for the newest clip sit in its score tensor (the fusion head's
/// output, or the lone backbone's in a pack without fusion), read in row-major order.
/// </summary>
/// <param name="TimeSteps">Clip positions on the time axis (S); 1 for a window-level output.</param>
/// <param name="Values">Values per position: 1 (regression, probability) or K = classes (classLogits, classProbabilities).</param>
/// <param name="NewestOffset">Element offset of the newest position's first value: (S - 1) x Values.</param>
public sealed record ScoreLayout(int TimeSteps, int Values, int NewestOffset)
{
    /// <summary>
    /// The layout of <paramref name="tensor"/> for <paramref name="output"/>, with the time axis the
    /// manifest declares (<see cref="PackManifest.TimeAxisOf"/>; version 1 is axis 1).
    /// </summary>
    /// <exception cref="ArgumentException">The shape follows no layout rule; <see cref="ManifestConsistency"/> refuses such a pack first.</exception>
    public static ScoreLayout Of(PackManifest m, TensorSpec tensor, OutputSpec output)
    {
        var values = ValuesOf(output);
        return Read(tensor.Shape, m.TimeAxisOf(tensor), values, out var problem)
            ?? throw new ArgumentException($"score tensor '{tensor.Name}' {tensor.ShapeText}: {problem}", nameof(tensor));
    }

    /// <summary>Values one position holds for an output: its class count for a class output, else 1.</summary>
    public static int ValuesOf(OutputSpec output) =>
        OutputKinds.IsClass(output.Kind) ? output.Classes?.Count ?? 0 : 1;

    /// <summary>
    /// Applies the layout rules to a shape: with time axis t (0 or 1) every axis before t is 1, axis t
    /// is S and the axes after it multiply to <paramref name="values"/>; without one, every axis but
    /// the last is 1 and the last is <paramref name="values"/>.
    /// </summary>
    /// <returns>The layout, or null with <paramref name="problem"/> naming the rule the shape breaks.</returns>
    internal static ScoreLayout? Read(IReadOnlyList<long> shape, int? timeAxis, int values, out string problem)
    {
        problem = "";
        if (shape.Count == 0)
        {
            problem = "a score tensor needs at least one axis";
            return null;
        }

        if (timeAxis is not { } t)
        {
            if (shape.Take(shape.Count - 1).Any(d => d != 1) || shape[^1] != values)
            {
                problem = $"without a timeAxis (window-level) every axis but the last is 1 and the last is {values}: [1, {values}]";
                return null;
            }

            return new ScoreLayout(1, values, 0);
        }

        if (t is not (0 or 1) || t >= shape.Count)
        {
            problem = $"timeAxis {t} must be 0 or 1 and name an axis of the tensor";
            return null;
        }

        var after = shape.Skip(t + 1).Aggregate(1L, (a, d) => a * d);
        if (shape.Take(t).Any(d => d != 1) || after != values || shape[t] > int.MaxValue)
        {
            problem = values == 1
                ? $"with timeAxis {t} every axis before it is 1 and the axes after it multiply to 1: {(t == 0 ? "[S], [S, 1]" : "[1, S], [1, S, 1]")}"
                : $"with timeAxis {t} every axis before it is 1 and the axes after it multiply to the {values} classes: {(t == 0 ? $"[S, {values}]" : $"[1, S, {values}]")}";
            return null;
        }

        var steps = (int)shape[t];
        return new ScoreLayout(steps, values, (steps - 1) * values);
    }
}
