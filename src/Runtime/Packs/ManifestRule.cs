using EdgeEmotion.Runtime.Configuration;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// The form every manifest error takes: a <see cref="ModelPackException"/> located at
/// "manifest.json $.json.path", shared by the consistency checks of each part of the manifest.
/// </summary>
internal static class ManifestRule
{
    private static readonly string[] SupportedElementTypes = ["float32"];

    public static void Require(bool condition, string path, string message, PackErrorKind kind = PackErrorKind.InvalidValue)
    {
        if (!condition)
        {
            throw new ModelPackException(kind, $"{ManifestReader.FileName} {path}", message);
        }
    }

    public static ModelPackException Invalid(string path, string message) =>
        new(PackErrorKind.InvalidValue, $"{ManifestReader.FileName} {path}", message);

    public static ModelPackException Missing(string path, string message) =>
        new(PackErrorKind.MissingField, $"{ManifestReader.FileName} {path}", message);

    /// <summary>A field the manifest's schema version does not have (the other version's, or one the context rules out).</summary>
    public static void Forbid(object? value, string path, string message) => Require(value is null, path, message);

    /// <summary>A field the manifest's schema version requires, in the words of a missing required field.</summary>
    public static T Present<T>(T? value, string path)
        where T : class =>
        value ?? throw Missing(path, $"required field '{FieldName(path)}' is missing");

    /// <inheritdoc cref="Present{T}(T, string)"/>
    public static T Present<T>(T? value, string path)
        where T : struct =>
        value ?? throw Missing(path, $"required field '{FieldName(path)}' is missing");

    public static void RequireShape(TensorSpec tensor, long[] expected, string path, string what)
    {
        Require(tensor.Shape.SequenceEqual(expected), path,
            $"tensor '{tensor.Name}' has shape {tensor.ShapeText}; the parameters make it {what} = {ShapeText(expected)}");
    }

    /// <summary>A tensor that may take one of several shapes (e.g. [1, samples] or [1, 1, samples]).</summary>
    public static void RequireShape(TensorSpec tensor, long[][] expected, string path, string what)
    {
        Require(expected.Any(tensor.Shape.SequenceEqual), path,
            $"tensor '{tensor.Name}' has shape {tensor.ShapeText}; the parameters make it {what} = {string.Join(" or ", expected.Select(ShapeText))}");
    }

    /// <summary>A model file's own facts: a path inside the pack, tensors of a supported type and fixed shape, no name twice.</summary>
    public static void ModelFile(ModelFileSpec spec, string path)
    {
        Require(PackPaths.Problem(spec.File) is null, $"{path}.file", $"'{PrintableText.Escape(spec.File)}' must be a relative path inside the pack: it {PackPaths.Problem(spec.File)}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in spec.Inputs.Concat(spec.Outputs))
        {
            Require(SupportedElementTypes.Contains(t.ElementType), $"{path} tensor '{t.Name}'", $"element type '{t.ElementType}' is not supported (float32)");
            Require(t.Shape.Count > 0 && t.Shape.All(d => d > 0), $"{path} tensor '{t.Name}'", $"shape {t.ShapeText} must be fixed and positive");
            Require(names.Add(t.Name), $"{path} tensor '{t.Name}'", "names two tensors of the model; each input and output needs its own name");
        }
    }

    public static string ShapeText(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static string FieldName(string path) => path[(path.LastIndexOf('.') + 1)..];
}
