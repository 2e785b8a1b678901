using static EdgeEmotion.Runtime.Packs.ManifestRule;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// Checks the model that gives the scores and what it gives: the fusion head's inputs (every
/// stream's features once, at its feature size) and the score tensors' layouts against the pack's
/// outputs. Without fusion (version 2) the only stream's backbone gives the scores.
/// </summary>
internal static class ScoreConsistency
{
    /// <summary>Version 1: the fusion head takes every modality's [1, window, featureDim]; outputs are [1, window] or [1, window, classes].</summary>
    public static void CheckVersion1(PackManifest m)
    {
        var f = m.Fusion!;
        ModelFile(f.AsModelFile(), "$.fusion");
        Require(f.Window > 0, "$.fusion.window", "must be positive");
        Require(f.ClipSpacingFrames > 0, "$.fusion.clipSpacingFrames", "must be positive");
        Require(f.Inputs.Count == m.Modalities.Count, "$.fusion.inputs",
            $"the fusion head takes {f.Inputs.Count} inputs but the pack has {m.Modalities.Count} modalities");
        var modalityNames = m.Modalities.Select(x => x.Name).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < f.Inputs.Count; i++)
        {
            var input = f.Inputs[i];
            Require(modalityNames.Contains(input.Source), $"$.fusion.inputs[{i}].modality", $"'{input.Modality}' is not a modality of this pack");
            Require(used.Add(input.Source), $"$.fusion.inputs[{i}].modality", $"'{input.Modality}' feeds the fusion head twice");
            RequireShape(input.AsTensor(), [1, f.Window, f.FeatureDim!.Value], $"$.fusion.inputs[{i}].shape", "[1, window, featureDim]");
        }

        RequireSameNames(m, f.Outputs, "$.fusion.outputs", "fusion");
        for (var i = 0; i < m.Outputs.Count; i++)
        {
            var o = m.Outputs[i];
            CheckOutput(o, $"$.outputs[{i}]");
            var tensor = f.Outputs.First(t => t.Name == o.Name);
            if (OutputKinds.IsClass(o.Kind))
            {
                RequireShape(tensor, [1, f.Window, o.Classes!.Count], "$.fusion.outputs", $"'{o.Name}' as [1, window, classes]");
            }
            else
            {
                RequireShape(tensor, [1, f.Window], "$.fusion.outputs", $"'{o.Name}' as [1, window]");
            }
        }
    }

    /// <summary>Version 2: the fusion head (if any) takes every stream's [1, window, featureDim of the stream]; score tensors follow the layout rules.</summary>
    public static void CheckVersion2(PackManifest m)
    {
        Require(m.ClipSpacingFrames > 0, "$.clipSpacingFrames", "must be positive");
        string scorePath;
        ModelFileSpec scoreModel;
        if (m.Fusion is { } fusion)
        {
            CheckFusionInputs(m, fusion);
            scorePath = "$.fusion";
            scoreModel = fusion.AsModelFile();
        }
        else
        {
            var i = m.Modalities.Select((x, i) => (x, i)).Single(x => x.x.Streams!.Count == 1).i;
            scorePath = $"$.modalities[{i}].streams[0].backbone";
            scoreModel = m.Modalities[i].Streams![0].Backbone;
        }

        RequireSameNames(m, scoreModel.Outputs, $"{scorePath}.outputs", m.Fusion is null ? "backbone" : "fusion");
        for (var i = 0; i < m.Outputs.Count; i++)
        {
            var o = m.Outputs[i];
            CheckOutput(o, $"$.outputs[{i}]");
            var k = scoreModel.Outputs.Select(t => t.Name).ToList().IndexOf(o.Name);
            var tensor = scoreModel.Outputs[k];
            var path = $"{scorePath}.outputs[{k}]";
            var axis = tensor.TimeAxis is { } t ? $"timeAxis {t}" : "no timeAxis";
            var layout = ScoreLayout.Read(tensor.Shape, tensor.TimeAxis, ScoreLayout.ValuesOf(o), out var problem)
                ?? throw Invalid(path, $"score tensor '{tensor.Name}' has shape {tensor.ShapeText} and {axis}, a layout no rule allows: {problem}");
            Require(m.Fusion is null || tensor.TimeAxis is null || layout.TimeSteps == m.Fusion.Window, path,
                $"score tensor '{tensor.Name}' has shape {tensor.ShapeText}: {layout.TimeSteps} clip positions on time axis {tensor.TimeAxis}, but the fusion window is {m.Window}");
        }
    }

    private static void CheckFusionInputs(PackManifest m, FusionSpec f)
    {
        ModelFile(f.AsModelFile(), "$.fusion");
        Require(f.Window > 0, "$.fusion.window", "must be positive");
        var streams = m.Modalities.SelectMany(x => x.Streams!).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < f.Inputs.Count; i++)
        {
            var input = f.Inputs[i];
            var path = $"$.fusion.inputs[{i}]";
            var stream = streams.GetValueOrDefault(input.Source)
                ?? throw Invalid($"{path}.stream", $"'{input.Stream}' is not a stream of this pack ({string.Join(", ", streams.Keys)})");
            Require(used.Add(input.Source), $"{path}.stream", $"'{input.Stream}' feeds the fusion head twice");
            long[] expected = [1, f.Window, stream.FeatureDim!.Value];
            Require(input.Shape.SequenceEqual(expected), $"{path}.shape",
                $"'{stream.Name}' has featureDim {stream.FeatureDim} but fusion input '{input.Name}' is {ShapeText(input.Shape)}; it takes [1, window, featureDim of '{stream.Name}'] = {ShapeText(expected)}");
        }

        foreach (var name in streams.Keys.Where(n => !used.Contains(n)))
        {
            throw Invalid("$.fusion.inputs", $"stream '{name}' feeds no fusion input: the fusion head takes every stream's features once");
        }
    }

    private static void RequireSameNames(PackManifest m, IReadOnlyList<TensorSpec> scores, string path, string model)
    {
        var outputNames = m.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var scoreNames = scores.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        Require(outputNames.SetEquals(scoreNames), path,
            $"{model} outputs ({string.Join(", ", scoreNames)}) differ from the pack's outputs ({string.Join(", ", outputNames)})");
    }

    private static void CheckOutput(OutputSpec o, string path)
    {
        switch (o.Kind)
        {
            case OutputKinds.Regression:
            case OutputKinds.Probability:
                if (o.Min is null || o.Max is null)
                {
                    throw Missing($"{path}.min", $"output '{o.Name}' needs min and max");
                }

                Require(o.Min < o.Max, $"{path}.max", "must exceed min");
                break;
            case OutputKinds.ClassLogits:
            case OutputKinds.ClassProbabilities:
                if (o.Classes is not { Count: > 1 })
                {
                    throw Missing($"{path}.classes", $"output '{o.Name}' needs at least two class labels");
                }

                break;
            default:
                throw Invalid($"{path}.kind", $"'{o.Kind}' is not an output kind ({OutputKinds.Names})");
        }
    }
}
