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
    /// <param name="manifestPath">The model's JSON path in manifest.json ($.fusion, $.modalities[1].streams[0].backbone), named in errors; null if unknown.</param>
    public static IReadOnlyList<TensorSpec> Check(string file, InferenceSession session, ModelFileSpec spec, string? manifestPath = null)
    {
        CheckSide(file, "input", session.InputMetadata, spec.Inputs, manifestPath is null ? null : $"{manifestPath}.inputs");
        CheckSide(file, "output", session.OutputMetadata, spec.Outputs, manifestPath is null ? null : $"{manifestPath}.outputs");
        return spec.Inputs.Where(t => session.InputMetadata[t.Name].Dimensions.Any(d => d < 0)).ToList();
    }

    private static void CheckSide(string file, string side, IReadOnlyDictionary<string, NodeMetadata> actual, IReadOnlyList<TensorSpec> expected, string? path)
    {
        var expectedNames = expected.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        if (!expectedNames.SetEquals(actual.Keys))
        {
            throw Mismatch(file, $"{side} names are [{string.Join(", ", actual.Keys.Order())}] in the model but [{string.Join(", ", expectedNames.Order())}] in the manifest{At(path)}");
        }

        foreach (var (i, tensor) in expected.Index())
        {
            var meta = actual[tensor.Name];
            var at = At(path is null ? null : $"{path}[{i}]");
            if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float)
            {
                throw Mismatch(file, $"{side} '{tensor.Name}' is {(meta.IsTensor ? meta.ElementDataType.ToString() : meta.OnnxValueType.ToString())} in the model but {tensor.ElementType} in the manifest{at}");
            }

            var dims = meta.Dimensions;
            var agrees = dims.Length == tensor.Shape.Count && dims.Zip(tensor.Shape).All(p => p.First < 0 || p.First == p.Second);
            if (!agrees)
            {
                var shown = string.Join(", ", dims.Select((d, i) => d < 0 ? (meta.SymbolicDimensions.ElementAtOrDefault(i) is { Length: > 0 } s ? s : "?") : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                throw Mismatch(file, $"{side} '{tensor.Name}' has shape [{shown}] in the model but {tensor.ShapeText} in the manifest{at}");
            }
        }
    }

    private static string At(string? path) => path is null ? "" : $" ({ManifestReader.FileName} {path})";

    private static ModelPackException Mismatch(string file, string message) =>
        new(PackErrorKind.ModelSignatureMismatch, file, message);
}
