using System.Text;
using System.Text.Json;

namespace EdgeEmotion.EdgeAgent.Tests.Docs;

/// <summary>
/// What of a message must not drift between docs and the agent: every key in order, every word
/// (states, reasons, sources, ids), every boolean and null, and where numbers stand. Numbers,
/// timestamps and the agent's version vary from run to run, and the thermal zones from machine to
/// machine, so they count only by their place.
/// </summary>
internal static class ExampleShape
{
    private static readonly HashSet<string> Timestamps = new(["producedAt", "since", "at"], StringComparer.Ordinal);

    public static string Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        var shape = new StringBuilder();
        Write(shape, document.RootElement, key: null);
        return shape.ToString();
    }

    private static void Write(StringBuilder shape, JsonElement value, string? key)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when key == "temperaturesC":
                shape.Append("<zones>");
                break;
            case JsonValueKind.Object:
                shape.Append('{');
                var first = true;
                foreach (var property in value.EnumerateObject())
                {
                    shape.Append(first ? "" : ",").Append(property.Name).Append(':');
                    Write(shape, property.Value, property.Name);
                    first = false;
                }

                shape.Append('}');
                break;
            case JsonValueKind.Array:
                shape.Append('[');
                shape.AppendJoin(',', value.EnumerateArray().Select(v => Of(v.GetRawText())));
                shape.Append(']');
                break;
            case JsonValueKind.Number:
                shape.Append("<number>");
                break;
            case JsonValueKind.String when key is not null && Timestamps.Contains(key):
                shape.Append("<timestamp>");
                break;
            case JsonValueKind.String when key == "agentVersion":
                shape.Append("<version>");
                break;
            default:
                shape.Append(value.GetRawText());
                break;
        }
    }
}
