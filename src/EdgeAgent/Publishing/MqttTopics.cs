namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>The topics of one device under the configured root (docs/mqtt.md).</summary>
public sealed class MqttTopics
{
    public MqttTopics(string root, string deviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        CheckDeviceId(deviceId);
        var prefix = $"{root}/{deviceId}";
        Status = $"{prefix}/status";
        Scores = $"{prefix}/scores";
        Health = $"{prefix}/health";
        OtaRequest = $"{prefix}/ota/request";
        OtaStatus = $"{prefix}/ota/status";
    }

    /// <summary>Retained; the last will says "offline".</summary>
    public string Status { get; }

    /// <summary>QoS 1, one message per output, from the durable queue.</summary>
    public string Scores { get; }

    /// <summary>QoS 0, periodic, best effort.</summary>
    public string Health { get; }

    /// <summary>Subscribed: model update requests.</summary>
    public string OtaRequest { get; }

    public string OtaStatus { get; }

    /// <summary>A device id is one topic level: no '/', no wildcards, not blank.</summary>
    public static void CheckDeviceId(string deviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        if (deviceId.AsSpan().IndexOfAny("/+#\0") >= 0)
        {
            throw new ArgumentException($"Device id '{deviceId}' must be one MQTT topic level: no '/', '+', '#' or NUL", nameof(deviceId));
        }
    }
}
