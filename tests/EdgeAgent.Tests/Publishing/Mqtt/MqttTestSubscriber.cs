using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>One message as a dashboard would receive it.</summary>
internal sealed record ReceivedMessage(string Topic, string Payload, bool Retain);

/// <summary>
/// A dashboard stand-in: an MQTTnet client subscribed at QoS 1 to a filter, collecting every
/// message in arrival order.
/// </summary>
internal sealed class MqttTestSubscriber : IAsyncDisposable
{
    private readonly MqttClientFactory factory = new();
    private readonly ConcurrentQueue<ReceivedMessage> received = new();
    private readonly int port;
    private readonly string topicFilter;
    private readonly (string User, string Password)? credentials;
    private IMqttClient? client;

    private MqttTestSubscriber(int port, string topicFilter, (string User, string Password)? credentials)
    {
        this.port = port;
        this.topicFilter = topicFilter;
        this.credentials = credentials;
    }

    public IReadOnlyList<ReceivedMessage> Messages => received.ToArray();

    public static async Task<MqttTestSubscriber> ConnectAsync(int port, string topicFilter, (string User, string Password)? credentials = null)
    {
        var subscriber = new MqttTestSubscriber(port, topicFilter, credentials);
        await subscriber.ReconnectAsync();
        return subscriber;
    }

    public IReadOnlyList<ReceivedMessage> On(string topic) => received.Where(m => m.Topic == topic).ToList();

    /// <summary>A new connection and subscription (after a broker restart lost the old ones); retries until the broker takes it.</summary>
    public async Task ReconnectAsync()
    {
        client?.Dispose();
        var fresh = factory.CreateMqttClient();
        fresh.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            received.Enqueue(new ReceivedMessage(message.Topic, Encoding.UTF8.GetString(message.Payload), message.Retain));
            return Task.CompletedTask;
        };

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId($"test-dashboard-{Guid.NewGuid():N}")
            .WithCleanStart(true);
        if (credentials is { } c)
        {
            builder = builder.WithCredentials(c.User, c.Password);
        }

        var options = builder.Build();
        await Eventually.WaitUntilAsync(() => TryConnectAsync(fresh, options), $"the test subscriber to connect to port {port}");
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await fresh.SubscribeAsync(
            factory.CreateSubscribeOptionsBuilder().WithTopicFilter(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            timeout.Token);
        client = fresh;
    }

    /// <summary>Publishes from the subscriber's own connection (a marker that orders "everything before this").</summary>
    public async Task PublishAsync(string topic, string payload)
    {
        var connected = client ?? throw new InvalidOperationException("Not connected");
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await connected.PublishStringAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, retain: false, timeout.Token);
    }

    public Task WaitForAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, string what) =>
        Eventually.WaitUntilAsync(() => condition(Messages), what, diagnostics: Describe);

    public string Describe() =>
        $"Received {received.Count} messages; last ones:{Environment.NewLine}{string.Join(Environment.NewLine, received.TakeLast(5).Select(m => $"{m.Topic} retain={m.Retain} {m.Payload}"))}";

    public async ValueTask DisposeAsync()
    {
        if (client is { IsConnected: true } connected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await connected.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                // The broker is already gone.
            }
        }

        client?.Dispose();
    }

    private static async Task<bool> TryConnectAsync(IMqttClient client, MqttClientOptions options)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var result = await client.ConnectAsync(options, timeout.Token);
            return result.ResultCode == MqttClientConnectResultCode.Success;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            return false;
        }
    }
}
