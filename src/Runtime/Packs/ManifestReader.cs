using System.Text.Json;
using EdgeEmotion.Runtime.Configuration;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// Reads manifest.json and reports the first problem with a JSON path a person can follow:
/// unreadable JSON, a value of the wrong shape (a number where an object belongs), a missing
/// required field, or a value of the wrong type.
/// </summary>
public static class ManifestReader
{
    public const string FileName = "manifest.json";

    // The C# model holds both versions' fields; which of them a version has is SchemaVersionFields' job.
    private static readonly string KnownFields = $"schema versions {string.Join(" and ", PackManifest.SupportedSchemaVersions)} know";

    public static PackManifest ReadFile(string manifestPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(manifestPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelPackException(PackErrorKind.ManifestUnreadable, FileName, $"cannot read {manifestPath}: {e.Message}", e);
        }

        return Parse(text);
    }

    public static PackManifest Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ModelPackException(PackErrorKind.ManifestUnreadable, FileName,
                $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (document)
        {
            var context = PackManifestJsonContext.Default;
            if (StrictJson.FindProblem(document.RootElement, context.PackManifest) is { } problem)
            {
                throw new ModelPackException(problem.IsMissing ? PackErrorKind.MissingField : PackErrorKind.InvalidValue,
                    $"{FileName} {problem.Path}", problem.Message.Replace("known here", KnownFields, StringComparison.Ordinal));
            }

            var version = document.RootElement.GetProperty("schemaVersion");
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || !PackManifest.SupportedSchemaVersions.Contains(number))
            {
                throw new ModelPackException(PackErrorKind.InvalidValue, $"{FileName} $.schemaVersion",
                    $"schema version {version} is not supported; this runtime reads versions {string.Join(" and ", PackManifest.SupportedSchemaVersions)}");
            }

            try
            {
                return document.RootElement.Deserialize(context.PackManifest)
                    ?? throw new ModelPackException(PackErrorKind.InvalidValue, $"{FileName} $", "the manifest is null");
            }
            catch (JsonException e)
            {
                throw new ModelPackException(PackErrorKind.InvalidValue, $"{FileName} {e.Path ?? "$"}",
                    $"wrong type or null value: {e.Message}", e);
            }
        }
    }
}
