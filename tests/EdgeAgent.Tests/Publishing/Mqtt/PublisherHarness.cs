using System.Text.Json;
using EdgeEmotion.EdgeAgent.Publishing;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>A running <see cref="MqttPublisher"/> over a <see cref="MemoryScoreQueue"/>, with its log captured.</summary>
internal sealed class PublisherHarness : IAsyncDisposable
{
    public const string DeviceId = "bed-12";

    private PublisherHarness(MqttOptions options, ITestOutputHelper output, MemoryScoreQueue queue)
    {
        Queue = queue;
        Log = new TestLogger<MqttPublisher>(output);
        Publisher = new MqttPublisher(options, DeviceId, Queue, Log);
        Run = Publisher.RunAsync(CancellationToken.None);
    }

    public MqttPublisher Publisher { get; }

    public MemoryScoreQueue Queue { get; }

    public TestLogger<MqttPublisher> Log { get; }

    /// <summary>The connection loop; must never fault.</summary>
    public Task Run { get; }

    public MqttTopics Topics => Publisher.Topics;

    /// <summary>Test timings: quick retries (0.1 s up to 1 s) so a test sees several; the production defaults are 1 s to 60 s.</summary>
    public static MqttOptions Options(Uri broker) => new()
    {
        Broker = broker,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        KeepAlive = TimeSpan.FromSeconds(5),
        PublishTimeout = TimeSpan.FromSeconds(10),
        HealthInterval = TimeSpan.FromMilliseconds(200),
    };

    public static PublisherHarness Start(MqttOptions options, ITestOutputHelper output, MemoryScoreQueue? queue = null) =>
        new(options, output, queue ?? new MemoryScoreQueue());

    public void Append(int count) => TestScores.Append(Queue, DeviceId, count);

    /// <summary>Log lines at warning level whose text contains <paramref name="text"/>.</summary>
    public IReadOnlyList<LogEntry> Warnings(string text) =>
        Log.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains(text, StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();

        // Awaiting rethrows anything that escaped the loop: the test fails if the loop ever crashed.
        await Run;
    }
}

/// <summary>Reads the fields tests look at in received message bodies.</summary>
internal static class Received
{
    public static long Seq(ReceivedMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("seq").GetInt64();
    }

    public static StatusMessage Status(ReceivedMessage message) =>
        PublishingJson.DeserializeStatus(System.Text.Encoding.UTF8.GetBytes(message.Payload)) ?? throw new InvalidOperationException("null status");

    /// <summary>
    /// Checks the at-least-once contract on the seqs as received: each one is either the next new
    /// seq or a repeat of one already seen; returns the distinct seqs in order.
    /// </summary>
    public static List<long> CheckOrder(IEnumerable<long> received, long first)
    {
        var seen = new HashSet<long>();
        var distinct = new List<long>();
        var next = first;
        foreach (var seq in received)
        {
            if (seen.Contains(seq))
            {
                continue;
            }

            Assert.True(seq == next, $"seq {seq} arrived where {next} was due (received: {string.Join(",", received)})");
            seen.Add(seq);
            distinct.Add(seq);
            next++;
        }

        return distinct;
    }
}
