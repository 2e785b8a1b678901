using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeEmotion.Runtime.Configuration;

/// <summary>
/// What a value of a setting looks like, in the user's words ("a number", "true or false",
/// a duration such as "00:00:03"): the expected format in a type error, never a .NET type name.
/// Shared by the config file, model manifests (through <see cref="StrictJson"/>) and the command line.
/// </summary>
public static class ValueFormat
{
    /// <summary>The format of a scalar type; null for a type that has no plain description here.</summary>
    public static string? Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(TimeSpan) => "a duration \"hh:mm:ss[.fff]\", such as \"00:00:03\"",
            _ when type == typeof(Uri) => "a URI string, such as \"mqtts://broker.example:8883\"",
            _ => null,
        };
    }

    /// <summary>The format of a value in a JSON document read with <paramref name="typeInfo"/>'s contract.</summary>
    public static string Describe(JsonTypeInfo typeInfo)
    {
        var type = Nullable.GetUnderlyingType(typeInfo.Type) ?? typeInfo.Type;
        if (type.IsEnum)
        {
            var names = Enum.GetValues(type).Cast<object>().Select(v => JsonSerializer.Serialize(v, typeInfo.Options.GetTypeInfo(type)));
            return $"one of {string.Join(", ", names)}";
        }

        if (Describe(type) is { } scalar)
        {
            return scalar;
        }

        return typeInfo.Kind switch
        {
            JsonTypeInfoKind.Enumerable when typeInfo.ElementType is { } item => $"a list [...] of {Describe(typeInfo.Options.GetTypeInfo(item))}",
            JsonTypeInfoKind.Dictionary => "an object { ... }",
            JsonTypeInfoKind.Object => "an object { ... }",
            _ => "another kind of value",
        };
    }

    /// <summary>
    /// The contract of the value at <paramref name="jsonPath"/> (as System.Text.Json reports it:
    /// <c>$.streaming.defaults.maxHold</c>, <c>$.inference.providers[0]</c>) below <paramref name="root"/>;
    /// null when the path does not lead through the contract.
    /// </summary>
    public static JsonTypeInfo? At(JsonTypeInfo root, string jsonPath)
    {
        var current = root;
        var rest = jsonPath.StartsWith('$') ? jsonPath[1..] : jsonPath;
        while (rest.Length > 0)
        {
            if (rest[0] == '.')
            {
                var end = rest.IndexOfAny(['.', '['], 1);
                var name = end < 0 ? rest[1..] : rest[1..end];
                rest = end < 0 ? "" : rest[end..];
                var property = current.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
                if (property is null)
                {
                    return null;
                }

                current = current.Options.GetTypeInfo(property.PropertyType);
            }
            else if (rest[0] == '[' && rest.IndexOf(']') is var close and > 0 && current.ElementType is { } element)
            {
                rest = rest[(close + 1)..];
                current = current.Options.GetTypeInfo(element);
            }
            else
            {
                return null;
            }
        }

        return current;
    }
}
