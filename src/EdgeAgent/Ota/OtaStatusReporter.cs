using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Configuration;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>
/// Publishes the steps of OTA requests on <c>ota/status</c> and remembers the last one, so that the
/// coordinator can tell whether a request has ended. The newest status the broker did not take (it
/// was away) waits, and goes out when <see cref="RedeliverAsync"/> finds the broker back, unless a
/// newer one went out first: the retained <c>ota/status</c> ends at the newest step. Used by the
/// coordinator's one loop only, so nothing here runs concurrently.
/// </summary>
internal sealed partial class OtaStatusReporter(string deviceId, MqttPublisher publisher, ILogger<OtaStatusReporter> logger, TimeProvider clock)
{
    private OtaStatusMessage? undelivered;

    /// <summary>The last status of the request being served, or null before its first.</summary>
    public OtaStatusMessage? Last { get; private set; }

    public void NewRequest() => Last = null;

    /// <summary>One step of a request; the reason may quote outside text (a server's reply, a file name), so it is escaped.</summary>
    public async Task ReportAsync(string id, string? version, string state, double? progress, string? reason)
    {
        reason = reason is null ? null : PrintableText.Escape(reason, 1000);
        var message = new OtaStatusMessage(deviceId, id, version, state, progress, reason, clock.GetUtcNow());
        Last = message;
        await PublishAsync(message);
    }

    public async Task PublishAsync(OtaStatusMessage message)
    {
        LogState(message.RequestId, message.State, message.Reason ?? "");
        undelivered = await publisher.PublishOtaStatusAsync(message) ? null : message;
    }

    /// <summary>True while a status waits for the broker.</summary>
    public bool HasUndelivered => undelivered is not null;

    /// <summary>Publishes the status that waits, when the broker is back.</summary>
    public async Task RedeliverAsync()
    {
        if (undelivered is { } waiting && publisher.Connected && await publisher.PublishOtaStatusAsync(waiting))
        {
            undelivered = null;
            LogRedelivered(waiting.RequestId, waiting.State);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA {Id}: {State} {Reason}")]
    private partial void LogState(string id, string state, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA {Id}: {State} published once the broker was back")]
    private partial void LogRedelivered(string id, string state);
}
