using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeEmotion.Runtime.Configuration;

/// <summary>A problem a strict reading of a JSON document found, named by its JSON path.</summary>
public sealed record StrictJsonProblem(string Path, string Message, bool IsMissing);

/// <summary>
/// Checks a JSON document against the serializer's own contract before deserializing it, so a
/// missing field is named by its full path ("$.fusion.window", not a C# type name) and an
/// unknown field, most often a misspelt optional one, is refused rather than silently ignored.
/// Shared by model manifests and the agent's config file.
/// </summary>
public static class StrictJson
{
    public static StrictJsonProblem? FindProblem(JsonElement element, JsonTypeInfo typeInfo, string path = "$")
    {
        switch (typeInfo.Kind)
        {
            // The string enum converter also takes numbers, which can name no defined value ("type": 9).
            case JsonTypeInfoKind.None when (Nullable.GetUnderlyingType(typeInfo.Type) ?? typeInfo.Type).IsEnum && element.ValueKind == JsonValueKind.Number:
                return new StrictJsonProblem(path, $"expected {ValueFormat.Describe(typeInfo)}, not a number", IsMissing: false);
            case JsonTypeInfoKind.Object when element.ValueKind == JsonValueKind.Object:
                foreach (var field in element.EnumerateObject())
                {
                    if (!typeInfo.Properties.Any(p => string.Equals(p.Name, field.Name, StringComparison.Ordinal)))
                    {
                        return new StrictJsonProblem($"{path}.{field.Name}",
                            $"unknown field '{field.Name}' (known here: {string.Join(", ", typeInfo.Properties.Select(p => p.Name))})", IsMissing: false);
                    }
                }

                foreach (var property in typeInfo.Properties)
                {
                    if (!element.TryGetProperty(property.Name, out var child) || child.ValueKind == JsonValueKind.Null)
                    {
                        if (property.IsRequired)
                        {
                            return new StrictJsonProblem($"{path}.{property.Name}", $"required field '{property.Name}' is missing", IsMissing: true);
                        }

                        continue;
                    }

                    if (FindProblem(child, typeInfo.Options.GetTypeInfo(property.PropertyType), $"{path}.{property.Name}") is { } problem)
                    {
                        return problem;
                    }
                }

                break;
            case JsonTypeInfoKind.Enumerable when element.ValueKind == JsonValueKind.Array && typeInfo.ElementType is { } itemType:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindProblem(item, typeInfo.Options.GetTypeInfo(itemType), $"{path}[{index++}]") is { } problem)
                    {
                        return problem;
                    }
                }

                break;
            case JsonTypeInfoKind.Dictionary when element.ValueKind == JsonValueKind.Object && typeInfo.ElementType is { } valueType:
                foreach (var entry in element.EnumerateObject())
                {
                    if (FindProblem(entry.Value, typeInfo.Options.GetTypeInfo(valueType), $"{path}['{entry.Name}']") is { } problem)
                    {
                        return problem;
                    }
                }

                break;
        }

        return null;
    }
}
