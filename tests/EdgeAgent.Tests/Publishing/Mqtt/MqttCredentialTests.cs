using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>A broker that refuses the device's credentials: clear log lines, backoff, no crash, and recovery once fixed.</summary>
public sealed class MqttCredentialTests(ITestOutputHelper output) : IDisposable
{
    private const string User = "edge-bed-12";
    private const string RightPassword = "correct horse battery staple";
    private const string WrongPassword = "hunter2-not-the-password";

    private readonly string passwordFile = Path.Combine(Path.GetTempPath(), $"edgeemo-mqtt-password-{Guid.NewGuid():N}");

    [Fact]
    public async Task Wrong_password_is_logged_clearly_retried_with_backoff_and_recovers_when_fixed()
    {
        using var broker = await MosquittoBroker.StartAsync(new MosquittoSettings { User = (User, RightPassword) });
        await File.WriteAllTextAsync(passwordFile, WrongPassword + "\n");
        var options = PublisherHarness.Options(broker.Uri);
        options.Username = User;
        options.PasswordFile = passwordFile;
        options.ReconnectMinDelay = TimeSpan.FromMilliseconds(50);
        options.ReconnectMaxDelay = TimeSpan.FromMilliseconds(400);

        var harness = PublisherHarness.Start(options, output);
        await using (harness)
        {
            harness.Append(5);
            await Eventually.WaitUntilAsync(() => harness.Warnings("refused the connection").Count >= 4, "four refusals");

            var refusals = harness.Warnings("refused the connection");
            var line = refusals[0].Message;
            // mosquitto 2.0.11 answers a wrong password with NotAuthorized (0x87), not BadUserNameOrPassword (0x86).
            Assert.Matches("MQTT broker mqtt://127\\.0\\.0\\.1:\\d+ refused the connection: (BadUserNameOrPassword|NotAuthorized)", line);
            Assert.Contains($"user '{User}'", line, StringComparison.Ordinal);
            Assert.Contains(passwordFile, line, StringComparison.Ordinal);
            Assert.All(refusals, r => Assert.Null(r.Exception));

            // Backoff: every delay lies in [min, max], and they are not all the minimum.
            var delays = refusals.Select(r => (double)r.Fields["RetrySeconds"]!).ToList();
            Assert.All(delays, d => Assert.InRange(d, 0.05, 0.4));
            Assert.False(harness.Run.IsCompleted, "the loop ended on a refusal");
            Assert.False(harness.Publisher.Connected);
            Assert.Equal(5, harness.Queue.Depth);
            Assert.Matches("^(BadUserNameOrPassword|NotAuthorized)", harness.Publisher.LastError ?? "");

            // The operator fixes the file; the next attempt reads it again.
            await File.WriteAllTextAsync(passwordFile, RightPassword + "\n");
            await Eventually.WaitUntilAsync(() => harness.Queue.Depth == 0, "the queued scores to be delivered");
            Assert.True(harness.Publisher.Connected);
        }

        // The secret never reached a log line, the exception texts included.
        Assert.DoesNotContain(WrongPassword, harness.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(RightPassword, harness.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, harness.Publisher.LastError ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_that_restarts_with_the_user_accepts_the_device()
    {
        // The other way to fix it: the broker gains the user while the device keeps retrying.
        using var broker = await MosquittoBroker.StartAsync(new MosquittoSettings { User = ("someone-else", "x") });
        await File.WriteAllTextAsync(passwordFile, RightPassword);
        var options = PublisherHarness.Options(broker.Uri);
        options.Username = User;
        options.PasswordFile = passwordFile;
        await using var harness = PublisherHarness.Start(options, output);

        await Eventually.WaitUntilAsync(() => harness.Warnings("refused the connection").Count >= 2, "two refusals");
        await broker.SetUserAsync(User, RightPassword);
        await broker.RestartAsync();

        await Eventually.WaitUntilAsync(() => harness.Publisher.Connected, "the device to connect");
        harness.Append(3);
        await Eventually.WaitUntilAsync(() => harness.Publisher.Published == 3, "three scores acknowledged");
    }

    public void Dispose() => File.Delete(passwordFile);
}
