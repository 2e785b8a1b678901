using System.Text.Json;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Configuration;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>A request that passed its checks. <see cref="Id"/> and <see cref="Version"/> are printable (control characters escaped).</summary>
internal sealed record OtaWork(string Id, Uri Url, string Sha256, string Version);

/// <summary>
/// What an <c>ota/request</c> payload asks for, or why it is refused. Whatever the payload holds,
/// the result names the request with a printable id of bounded length, so every request can be
/// answered on <c>ota/status</c> and logged on one line.
/// </summary>
internal sealed record OtaRequestRead(string Id, string? Version, OtaWork? Work, string? Refusal)
{
    /// <summary>A request is a few hundred bytes; anything this large is not one.</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    public const int MaxRequestIdLength = 128;

    public const string UnknownId = "unknown";

    public static OtaRequestRead From(ReadOnlySpan<byte> payload) => From(payload, payload.Length);

    /// <summary>
    /// Reads a request of which <paramref name="receivedBytes"/> arrived; the receiver keeps no
    /// payload over <see cref="MaxPayloadBytes"/>, only its size, so that it can be refused by it.
    /// </summary>
    public static OtaRequestRead From(ReadOnlySpan<byte> payload, long receivedBytes)
    {
        if (receivedBytes > MaxPayloadBytes)
        {
            return Refused(UnknownId, null, $"request is {receivedBytes} bytes; at most {MaxPayloadBytes}");
        }

        OtaRequestMessage? request;
        try
        {
            request = PublishingJson.DeserializeOtaRequest(payload);
        }
        catch (JsonException e)
        {
            return Refused(UnknownId, null, $"request is not a JSON object of url, sha256, version and requestId: {e.Message.Split(" Path:")[0]}");
        }

        var rawId = request?.RequestId ?? request?.Version ?? UnknownId;
        var id = PrintableText.Escape(rawId, MaxRequestIdLength);
        var version = request?.Version is { } v ? PrintableText.Escape(v, PackVersion.MaxLength) : null;
        if (rawId.Length > MaxRequestIdLength)
        {
            return Refused(id, version, $"requestId is {rawId.Length} characters; at most {MaxRequestIdLength}");
        }

        if (request?.Version is { Length: > PackVersion.MaxLength } longVersion)
        {
            return Refused(id, version, $"version is {longVersion.Length} characters; at most {PackVersion.MaxLength}");
        }

        if (request?.Url is not { } url || request.Sha256 is not { } sha256 || version is null
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return Refused(id, version, "request needs url (absolute http/https), sha256 and version");
        }

        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            return Refused(id, version, "sha256 must be 64 hex digits");
        }

        return new OtaRequestRead(id, version, new OtaWork(id, uri, sha256.ToLowerInvariant(), version), null);
    }

    private static OtaRequestRead Refused(string id, string? version, string reason) => new(id, version, null, reason);
}
