using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>The publisher's log lines, one per event, with structured fields.</summary>
public sealed partial class MqttPublisher
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MQTT broker {Broker} as {ClientId} ({User}); {Queued} scores queued")]
    private partial void LogConnected(string broker, string clientId, string user, long queued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Broker} refused the connection: {Reason}; retrying in {RetrySeconds:F1} s")]
    private partial void LogRefused(string broker, string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS with MQTT broker {Broker} failed: {Reason}; retrying in {RetrySeconds:F1} s")]
    private partial void LogTlsFailed(string broker, string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT settings cannot be used: {Reason}; retrying in {RetrySeconds:F1} s")]
    private partial void LogSettingsUnusable(string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Broker} unreachable: {Reason}; retrying in {RetrySeconds:F1} s")]
    private partial void LogUnreachable(string broker, string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection to {Broker} dropped: {Reason}; reconnecting in {RetrySeconds:F1} s")]
    private partial void LogDropped(string broker, string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in the MQTT connection loop; reconnecting")]
    private partial void LogUnexpected(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker refused the subscription to {Topic}: {ResultCode}; remote model updates are off")]
    private partial void LogSubscriptionRefused(string topic, string resultCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker refused the {State} status: {ReasonCode}")]
    private partial void LogStatusRefused(string state, string reasonCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Status publish deferred to the next connection: {Reason}")]
    private partial void LogStatusDeferred(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Health message skipped: not connected")]
    private partial void LogHealthSkipped();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Health message not sent: {Reason}")]
    private partial void LogHealthFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnected from MQTT broker {Broker}; status offline")]
    private partial void LogStopped(string broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No clean MQTT goodbye ({Reason}); the broker's last will reports offline")]
    private partial void LogGoodbyeFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA request received ({Bytes} bytes); kept for the OTA handler")]
    private partial void LogOtaRequest(long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA request turned away without a status: {Waiting} requests already wait for the one that runs")]
    private partial void LogOtaRequestTurnedAway(int waiting);
}
