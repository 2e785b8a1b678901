using EdgeEmotion.Runtime.Packs;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>Compares an ONNX model's declared inputs and outputs with the manifest's.</summary>
internal static class ModelSignature
{
    /// <summary>
    /// Throws <see cref="ModelPackException"/> (ModelSignatureMismatch) on any difference in names,
    /// element types or fixed dimensions. Returns the manifest inputs whose ONNX shape is symbolic
    /// (they run at the manifest's shape).
    /// </summary>
    public static IReadOnlyList<TensorSpec> Check(string file, InferenceSession session, ModelFileSpec spec)
    {
        CheckSide(file, "input", session.InputMetadata, spec.Inputs);
        CheckSide(file, "output", session.OutputMetadata, spec.Outputs);
        return spec.Inputs.Where(t => session.InputMetadata[t.Name].Dimensions.Any(d => d < 0)).ToList();
    }

    private static void CheckSide(string file, string side, IReadOnlyDictionary<string, NodeMetadata> actual, IReadOnlyList<TensorSpec> expected)
    {
        var expectedNames = expected.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        if (!expectedNames.SetEquals(actual.Keys))
        {
            throw Mismatch(file, $"{side} names are [{string.Join(", ", actual.Keys.Order())}] in the model but [{string.Join(", ", expectedNames.Order())}] in the manifest");
        }

        foreach (var tensor in expected)
        {
            var meta = actual[tensor.Name];
            if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float)
            {
                throw Mismatch(file, $"{side} '{tensor.Name}' is {(meta.IsTensor ? meta.ElementDataType.ToString() : meta.OnnxValueType.ToString())} in the model but {tensor.ElementType} in the manifest");
            }

            var dims = meta.Dimensions;
            var agrees = dims.Length == tensor.Shape.Count && dims.Zip(tensor.Shape).All(p => p.First < 0 || p.First == p.Second);
            if (!agrees)
            {
                var shown = string.Join(", ", dims.Select((d, i) => d < 0 ? (meta.SymbolicDimensions.ElementAtOrDefault(i) is { Length: > 0 } s ? s : "?") : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                throw Mismatch(file, $"{side} '{tensor.Name}' has shape [{shown}] in the model but {tensor.ShapeText} in the manifest");
            }
        }
    }

    private static ModelPackException Mismatch(string file, string message) =>
        new(PackErrorKind.ModelSignatureMismatch, file, message);
}
