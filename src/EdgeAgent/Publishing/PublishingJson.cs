using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>UTF-8 JSON bodies of the status and health topics (camelCase, compact; docs/schemas).</summary>
public static class PublishingJson
{
    // The default encoder writes '+' as \u002B ("1.0.0\u002Bc018dab" in mosquitto_sub). Escaping
    // for HTML protects nothing here: a JSON parser turns it back into '+' anyway.
    private static readonly PublishingJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static byte[] Serialize(StatusMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, Context.StatusMessage);

    public static byte[] Serialize(HealthMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, Context.HealthMessage);

    public static byte[] Serialize(EdgeEmotion.EdgeAgent.Ota.OtaStatusMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, Context.OtaStatusMessage);

    public static EdgeEmotion.EdgeAgent.Ota.OtaStatusMessage? DeserializeOtaStatus(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, Context.OtaStatusMessage);

    public static EdgeEmotion.EdgeAgent.Ota.OtaRequestMessage? DeserializeOtaRequest(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, Context.OtaRequestMessage);

    public static StatusMessage? DeserializeStatus(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, Context.StatusMessage);

    public static HealthMessage? DeserializeHealth(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, Context.HealthMessage);
}

[JsonSerializable(typeof(StatusMessage))]
[JsonSerializable(typeof(HealthMessage))]
[JsonSerializable(typeof(EdgeEmotion.EdgeAgent.Ota.OtaStatusMessage))]
[JsonSerializable(typeof(EdgeEmotion.EdgeAgent.Ota.OtaRequestMessage))]
internal sealed partial class PublishingJsonContext : JsonSerializerContext;

/// <summary>
/// Timestamps as UTC ISO-8601 with milliseconds and a Z (<c>2026-11-03T08:15:02.125Z</c>), the
/// same text as <c>producedAt</c> in score messages.
/// </summary>
public sealed class UtcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("Expected a timestamp string"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ToText(value));
    }
}
