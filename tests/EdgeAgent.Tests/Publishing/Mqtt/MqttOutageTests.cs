using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>Store-and-forward across a broker outage, against a real mosquitto that is killed and restarted.</summary>
public sealed class MqttOutageTests(ITestOutputHelper output)
{
    /// <summary>
    /// The 30 s: the loop fails, backs off to its ceiling and fails again while about 600
    /// scores pile up in the queue (one every 50 ms). It costs 30 s of a ~2 minute suite.
    /// </summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    // What the outage must have seen before the broker returns, however slow the machine: failed
    // attempts at the backoff ceiling, and half the scores 30 s would bring at full speed.
    private const int FailedAttempts = 3;
    private static readonly int ScoresDuringOutage = (int)(Outage.TotalMilliseconds / 50 / 2);

    [Fact]
    public async Task Every_score_produced_during_a_broker_outage_arrives_in_order_after_restart()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/+/scores");

        // The publisher reaches the broker through a proxy so the test can keep it out until the
        // dashboard has resubscribed after the restart (no persistence: a restarted broker forgets
        // subscriptions, and a score sent before the dashboard is back would be missed by the test,
        // not by the publisher).
        await using var path = new SeverableTcpProxy(broker.Port);
        var harness = PublisherHarness.Start(PublisherHarness.Options(path.Uri), output);
        await using (harness)
        {
            harness.Append(20);
            await dashboard.WaitForAsync(m => m.Count >= 20, "the first 20 scores");

            // The pipeline keeps producing through the outage, one score every 50 ms.
            using var stopProducing = new CancellationTokenSource();
            var producer = ProduceAsync(harness, stopProducing.Token);

            broker.Stop();
            await Eventually.WaitUntilAsync(() => !harness.Publisher.Connected, "the publisher to notice the broker is gone");
            path.Sever();
            var failuresBefore = harness.Warnings("unreachable").Count;
            var appendedBefore = harness.Queue.NextSequence;
            await Task.Delay(Outage); // at least this long: a loaded machine makes it longer, never shorter
            await Eventually.WaitUntilAsync(
                () => harness.Warnings("unreachable").Count - failuresBefore >= FailedAttempts && harness.Queue.NextSequence - appendedBefore >= ScoresDuringOutage,
                $"{FailedAttempts} failed attempts and {ScoresDuringOutage} scores during the outage");
            var failedAttempts = harness.Warnings("unreachable").Count - failuresBefore;

            await broker.RestartAsync();
            await dashboard.ReconnectAsync();
            path.Resume();
            await Eventually.WaitUntilAsync(() => harness.Publisher.Connected, "the publisher to reconnect");
            await stopProducing.CancelAsync();
            await producer;

            var last = harness.Queue.NextSequence - 1;
            await dashboard.WaitForAsync(m => m.Select(Received.Seq).Contains(last), $"every score up to seq {last}");
            await Eventually.WaitUntilAsync(() => harness.Queue.Depth == 0, "the queue to drain");

            var received = dashboard.Messages.Select(Received.Seq).ToList();
            var distinct = Received.CheckOrder(received, first: 0);
            Assert.Equal(last + 1, distinct.Count);
            Assert.True(last >= 20 + ScoresDuringOutage, $"only {last + 1} scores were produced");
            Assert.True(failedAttempts >= FailedAttempts, $"{failedAttempts} failed connection attempts during the outage");
            Assert.True(harness.Publisher.Reconnects >= 1);
            Assert.Equal(0, harness.Queue.Dropped);
            output.WriteLine($"{last + 1} scores, {received.Count - distinct.Count} repeats, {failedAttempts} failed attempts during the outage, {harness.Publisher.Reconnects} reconnects");
        }
    }

    [Fact]
    public async Task A_publish_without_puback_times_out_and_the_score_is_sent_again()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var dashboard = await MqttTestSubscriber.ConnectAsync(broker.Port, "edgeemo/v1/+/scores");
        await using var path = new SeverableTcpProxy(broker.Port);
        var options = PublisherHarness.Options(path.Uri);
        options.PublishTimeout = TimeSpan.FromSeconds(1);
        await using var harness = PublisherHarness.Start(options, output);
        harness.Append(1);
        // Acknowledged, not just seen by the dashboard: the broker forwards score 0 before its PUBACK
        // reaches the publisher, and a black hole in between would swallow that PUBACK instead.
        await Eventually.WaitUntilAsync(() => harness.Publisher.Published == 1, "score 0 acknowledged, so the publisher is draining the queue");

        // The route dies silently: no RST, no FIN, the PUBACK just never comes.
        path.BlackHole();
        harness.Append(1);
        await Eventually.WaitUntilAsync(() => harness.Warnings("no PUBACK for score 1 within 1 s").Count > 0, "the publish timeout");
        Assert.Equal(1, harness.Queue.Depth);
        Assert.Equal(1, harness.Publisher.Published);

        path.Resume();
        await Eventually.WaitUntilAsync(() => harness.Queue.Depth == 0, "score 1 to be delivered on a new connection");
        await dashboard.WaitForAsync(m => m.Any(x => Received.Seq(x) == 1), "score 1 at the dashboard");
        Assert.Equal([0L, 1L], dashboard.Messages.Select(Received.Seq).Distinct());
        Assert.True(harness.Publisher.Reconnects >= 1);
    }

    private static async Task ProduceAsync(PublisherHarness harness, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            harness.Append(1);
            try
            {
                await Task.Delay(50, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
