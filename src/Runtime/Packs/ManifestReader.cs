using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// Reads manifest.json and reports the first problem with a JSON path a person can follow:
/// unreadable JSON, a missing required field, or a value of the wrong type.
/// </summary>
public static class ManifestReader
{
    public const string FileName = "manifest.json";

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
            CheckRequired(document.RootElement, context.PackManifest, "$");

            var version = document.RootElement.GetProperty("schemaVersion");
            if (version.ValueKind != JsonValueKind.Number || version.GetInt32() != PackManifest.SupportedSchemaVersion)
            {
                throw new ModelPackException(PackErrorKind.InvalidValue, $"{FileName} $.schemaVersion",
                    $"schema version {version} is not supported; this runtime reads version {PackManifest.SupportedSchemaVersion}");
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

    // Walks the JSON beside the serializer's own contract so a missing field is named by its
    // full path ("$.modalities[0].backbone.inputs"), not by a C# type name.
    private static void CheckRequired(JsonElement element, JsonTypeInfo typeInfo, string path)
    {
        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind == JsonValueKind.Object:
                // An unknown field is most often a misspelt optional one, which would otherwise
                // be silently ignored; new fields come with a new schema version.
                foreach (var field in element.EnumerateObject())
                {
                    if (!typeInfo.Properties.Any(p => p.Name == field.Name))
                    {
                        throw new ModelPackException(PackErrorKind.InvalidValue, $"{FileName} {path}.{field.Name}",
                            $"unknown field '{field.Name}' (schema version {PackManifest.SupportedSchemaVersion} has: {string.Join(", ", typeInfo.Properties.Select(p => p.Name))})");
                    }
                }

                foreach (var property in typeInfo.Properties)
                {
                    if (!element.TryGetProperty(property.Name, out var child) || child.ValueKind == JsonValueKind.Null)
                    {
                        if (property.IsRequired)
                        {
                            throw new ModelPackException(PackErrorKind.MissingField, $"{FileName} {path}.{property.Name}",
                                $"required field '{property.Name}' is missing");
                        }

                        continue;
                    }

                    CheckRequired(child, typeInfo.Options.GetTypeInfo(property.PropertyType), $"{path}.{property.Name}");
                }

                break;
            case JsonTypeInfoKind.Enumerable when element.ValueKind == JsonValueKind.Array && typeInfo.ElementType is { } itemType:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckRequired(item, typeInfo.Options.GetTypeInfo(itemType), $"{path}[{index++}]");
                }

                break;
            case JsonTypeInfoKind.Dictionary when element.ValueKind == JsonValueKind.Object && typeInfo.ElementType is { } valueType:
                foreach (var entry in element.EnumerateObject())
                {
                    CheckRequired(entry.Value, typeInfo.Options.GetTypeInfo(valueType), $"{path}['{entry.Name}']");
                }

                break;
        }
    }
}
