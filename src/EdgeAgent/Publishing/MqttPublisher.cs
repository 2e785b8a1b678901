using EdgeEmotion.Runtime.Sources;
using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// Sends the device's scores, status and health to the broker (docs/mqtt.md). <see cref="RunAsync"/>
/// is the connection loop: connect (TLS, credentials, a retained "offline" last will), publish the
/// retained status, subscribe to OTA requests, then drain the durable queue in order at QoS 1,
/// acknowledging each score only after its PUBACK. Any failure drops the connection and retries
/// with exponential backoff and full jitter; nothing in the loop ends the process.
/// </summary>
/// <remarks>
/// MQTTnet 5 has no managed client: each connection gets a fresh <see cref="IMqttClient"/>, and a
/// connection that failed mid-way is dropped by disposing it (no DISCONNECT, so the broker
/// publishes the last will: the dashboard is told the truth while we reconnect).
/// </remarks>
public sealed partial class MqttPublisher : IAsyncDisposable
{
    // Scores taken from the queue per peek; each is still published and acknowledged one by one.
    private const int PeekBatch = 64;

    private readonly MqttOptions options;
    private readonly string deviceId;
    private readonly IScoreQueue queue;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly MqttClientFactory clientFactory = new();
    private readonly ExponentialBackoff backoff;
    private readonly SemaphoreSlim statusGate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    // Every request that waits is answered on ota/status: the OTA coordinator takes all that wait
    // each time it is free (answering the older ones as superseded). The bound only stops a flood
    // from holding memory while a download runs; what it turns away is logged.
    internal const int MaxWaitingOtaRequests = 256;
    private readonly Channel<OtaRequest> otaRequests =
        Channel.CreateBounded<OtaRequest>(new BoundedChannelOptions(MaxWaitingOtaRequests) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly string broker;
    private readonly string clientId;
    private StatusMessage status;
    private IMqttClient? client;
    private Task? runTask;
    private int started;
    private int disposed;
    private long connections;
    private long published;
    private string? lastError;

    public MqttPublisher(MqttOptions options, string deviceId, IScoreQueue queue, ILogger<MqttPublisher> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        Topics = new MqttTopics(options.TopicRoot, deviceId);

        this.options = options;
        this.deviceId = deviceId;
        this.queue = queue;
        this.logger = logger;
        time = timeProvider ?? TimeProvider.System;
        backoff = new ExponentialBackoff(options.ReconnectMinDelay, options.ReconnectMaxDelay, new Random());
        broker = $"{options.Broker.Scheme}://{options.Broker.Host}:{options.BrokerPort}";
        clientId = options.ClientIdFor(deviceId);
        status = StatusMessage.Starting(deviceId, time.GetUtcNow());
    }

    public MqttTopics Topics { get; }

    /// <summary>True while a connection to the broker is up.</summary>
    public bool Connected => Volatile.Read(ref client)?.IsConnected == true;

    /// <summary>Successful connections after the first.</summary>
    public long Reconnects => Math.Max(0, Interlocked.Read(ref connections) - 1);

    /// <summary>Scores the broker has acknowledged (PUBACK) since this publisher started.</summary>
    public long Published => Interlocked.Read(ref published);

    /// <summary>The latest connection or publish failure, in words (never a secret); null before any.</summary>
    public string? LastError => Volatile.Read(ref lastError);

    /// <summary>The status that is (or will be, on the next connection) retained on the broker.</summary>
    public StatusMessage Status => Volatile.Read(ref status);

    /// <summary>Requests received on <c>ota/request</c>, newest kept when nobody reads (handled by the OTA issue).</summary>
    public ChannelReader<OtaRequest> OtaRequests => otaRequests.Reader;

    /// <summary>
    /// The connection loop; returns (without throwing) once <paramref name="cancellationToken"/> is
    /// cancelled or <see cref="StopAsync"/> is called, after a clean goodbye: a retained "offline"
    /// status and a DISCONNECT, so the broker drops the last will.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException("MqttPublisher.RunAsync is already running; one loop per publisher");
        }

        var task = RunLoopAsync(cancellationToken);
        Volatile.Write(ref runTask, task);
        return task;
    }

    /// <summary>
    /// Sets the retained status: published at once when connected, and again on every reconnect.
    /// Returns without waiting; a publish that fails is retried by the next connection.
    /// </summary>
    public void SetStatus(StatusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Volatile.Write(ref status, message);
        if (Connected)
        {
            _ = PublishStatusInBackgroundAsync();
        }
    }

    /// <summary>Best effort: QoS 0, not queued, skipped while disconnected; failures are logged, never thrown.</summary>
    public async Task PublishHealthAsync(HealthMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var current = Volatile.Read(ref client);
        if (current is not { IsConnected: true })
        {
            LogHealthSkipped();
            return;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var health = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Health)
            .WithPayload(PublishingJson.Serialize(message))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();

        // Bounded by the timeout alone: cancelling a send half-way can cost MQTTnet the connection.
        using var timeout = new CancellationTokenSource(options.PublishTimeout, time);
        try
        {
            await current.PublishAsync(health, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFailure(e) || e is OperationCanceledException)
        {
            LogHealthFailed(e.Message);
        }
    }

    /// <summary>
    /// Publishes an OTA progress/outcome on <c>ota/status</c>: QoS 1 and retained, so the broker
    /// keeps the latest state of the latest request for a dashboard that connects later. Skipped
    /// (logged) while disconnected; never throws for the network. Returns whether the broker took it.
    /// </summary>
    public async Task<bool> PublishOtaStatusAsync(EdgeEmotion.EdgeAgent.Ota.OtaStatusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var current = Volatile.Read(ref client);
        if (current is not { IsConnected: true })
        {
            LogHealthSkipped();
            return false;
        }

        var ota = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.OtaStatus)
            .WithPayload(PublishingJson.Serialize(message))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();
        using var timeout = new CancellationTokenSource(options.PublishTimeout, time);
        try
        {
            var result = await current.PublishAsync(ota, timeout.Token).ConfigureAwait(false);
            return result.IsSuccess;
        }
        catch (Exception e) when (IsConnectionFailure(e) || e is OperationCanceledException or MqttCommunicationTimedOutException)
        {
            LogHealthFailed(e.Message);
            return false;
        }
    }

    /// <summary>Ends the loop with a clean goodbye (retained "offline", then DISCONNECT) and waits for it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }

        if (Volatile.Read(ref runTask) is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        Interlocked.Exchange(ref client, null)?.Dispose();
        otaRequests.Writer.TryComplete();
        stopping.Dispose();
        statusGate.Dispose();
    }

    private async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        // Callers get the task before any connecting starts.
        await Task.Yield();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        var token = linked.Token;
        while (!token.IsCancellationRequested)
        {
            SessionEnd end;
            try
            {
                end = await RunSessionAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // A bug, not the network: logged in full, and still never the end of the service.
                LogUnexpected(e);
                end = new SessionEnd(SessionEndKind.Unexpected, $"{e.GetType().Name}: {e.Message}");
            }

            if (token.IsCancellationRequested)
            {
                break;
            }

            Volatile.Write(ref lastError, end.Detail);
            var delay = backoff.Next();
            LogSessionEnd(end, delay);
            try
            {
                await Task.Delay(delay, time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await GoodbyeAsync().ConfigureAwait(false);
    }

    /// <summary>One connection from attempt to end. Returns why it ended; throws only on a bug.</summary>
    private async Task<SessionEnd> RunSessionAsync(CancellationToken token)
    {
        MqttConnectionSettings settings;
        try
        {
            settings = MqttConnectionSettings.Load(options);
        }
        catch (MqttCredentialsException e)
        {
            return new SessionEnd(SessionEndKind.Unusable, e.Message);
        }

        using (settings)
        {
            var candidate = clientFactory.CreateMqttClient();
            var lost = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
            candidate.DisconnectedAsync += e =>
            {
                // Only note it: reconnecting from inside this handler can deadlock MQTTnet.
                lost.TrySetResult(e);
                return Task.CompletedTask;
            };
            candidate.ApplicationMessageReceivedAsync += OnMessageReceivedAsync;

            var connectEnd = await ConnectAsync(candidate, settings, token).ConfigureAwait(false);
            if (connectEnd is not null)
            {
                candidate.Dispose();
                return connectEnd;
            }

            var connectedAt = time.GetTimestamp();
            Volatile.Write(ref client, candidate);
            Interlocked.Increment(ref connections);
            var user = settings.Credentials?.Username ?? "anonymous";
            LogConnected(broker, clientId, user, queue.Depth);

            using var session = CancellationTokenSource.CreateLinkedTokenSource(token);
            var serving = ServeAsync(candidate, session.Token);
            var first = await Task.WhenAny(serving, lost.Task).ConfigureAwait(false);

            SessionEnd end;
            if (first == lost.Task)
            {
                await session.CancelAsync().ConfigureAwait(false);
                await serving.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
                end = Lost(connectedAt, Describe(lost.Task.Result));
            }
            else
            {
                end = await ServingOutcomeAsync(serving, token).ConfigureAwait(false);

                // The disconnect event usually says more than "the client is disconnected".
                if (end.Kind == SessionEndKind.Lost)
                {
                    end = Lost(connectedAt, lost.Task.IsCompleted ? Describe(lost.Task.Result) : end.Detail);
                }
            }

            if (end.Kind == SessionEndKind.Stopped)
            {
                // Leave the connection up: the goodbye needs it.
                return end;
            }

            // A healthy spell resets the backoff; a connection that keeps failing at once does not.
            if (time.GetElapsedTime(connectedAt) >= options.ReconnectMaxDelay)
            {
                backoff.Reset();
            }

            // Drop without DISCONNECT: the broker publishes the last will ("offline").
            Interlocked.CompareExchange(ref client, null, candidate);
            candidate.Dispose();
            return end;
        }
    }

    /// <summary>Null when connected; otherwise why not.</summary>
    private async Task<SessionEnd?> ConnectAsync(IMqttClient candidate, MqttConnectionSettings settings, CancellationToken token)
    {
        var will = PublishingJson.Serialize(Status.AsOffline(StatusMessage.ConnectionLostReason, since: null));
        var clientOptions = settings.BuildClientOptions(options, clientId, Topics.Status, will);
        using var timeout = new CancellationTokenSource(options.PublishTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, token);
        MqttClientConnectResult result;
        try
        {
            result = await candidate.ConnectAsync(clientOptions, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return new SessionEnd(SessionEndKind.Stopped, "stopping");
        }
        catch (Exception e) when (settings.Validator?.LastFailure is { } tlsFailure && (IsConnectionFailure(e) || e is OperationCanceledException))
        {
            return new SessionEnd(SessionEndKind.Tls, tlsFailure);
        }
        catch (Exception e) when (timeout.IsCancellationRequested && (e is OperationCanceledException || IsConnectionFailure(e)))
        {
            // MQTTnet reports its own cancelled read as "Connection closed"; the cause is the timeout.
            return new SessionEnd(SessionEndKind.Unreachable, $"no CONNACK within {options.PublishTimeout.TotalSeconds:F0} s");
        }
        catch (Exception e) when (IsConnectionFailure(e) && settings.Validator is { AcceptedCertificate: true })
        {
            // We trusted the broker, then it hung up: with TLS 1.3 that is how a refused client certificate looks.
            var hint = options.ClientCertificateFile is null
                ? "if it requires client certificates, set Mqtt.ClientCertificateFile and Mqtt.ClientKeyFile"
                : "check that the broker trusts the CA of Mqtt.ClientCertificateFile";
            return new SessionEnd(SessionEndKind.Tls, $"the broker closed the connection after the TLS handshake ({Innermost(e)}); {hint}");
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            return new SessionEnd(SessionEndKind.Unreachable, Innermost(e));
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            var user = settings.Credentials is { } c ? $"user '{c.Username}', password from {c.PasswordSource}" : "anonymous";
            var reason = string.IsNullOrEmpty(result.ReasonString) ? "" : $" \"{result.ReasonString}\"";
            return new SessionEnd(SessionEndKind.Refused, $"{result.ResultCode}{reason} ({user})");
        }

        return null;
    }

    private async Task<SessionEnd> ServingOutcomeAsync(Task<SessionEnd> serving, CancellationToken token)
    {
        try
        {
            return await serving.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return new SessionEnd(SessionEndKind.Stopped, "stopping");
        }
        catch (Exception e) when (e is OperationCanceledException or MqttCommunicationTimedOutException)
        {
            return new SessionEnd(SessionEndKind.PublishFailed, $"no answer to the status or subscription within {options.PublishTimeout.TotalSeconds:F0} s");
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            return new SessionEnd(SessionEndKind.Lost, Innermost(e));
        }
        catch (Exception e)
        {
            // A bug, not the network; still never the end of the service.
            LogUnexpected(e);
            return new SessionEnd(SessionEndKind.Unexpected, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Status, subscription, then the queue, until the connection fails or <paramref name="token"/> ends it.</summary>
    private async Task<SessionEnd> ServeAsync(IMqttClient connection, CancellationToken token)
    {
        await PublishStatusAsync(connection, token).ConfigureAwait(false);
        await SubscribeOtaAsync(connection).ConfigureAwait(false);

        while (true)
        {
            await queue.WaitForMessagesAsync(token).ConfigureAwait(false);
            foreach (var message in queue.Peek(PeekBatch))
            {
                token.ThrowIfCancellationRequested();
                var score = new MqttApplicationMessageBuilder()
                    .WithTopic(Topics.Scores)
                    .WithPayloadSegment(message.Payload)
                    .WithContentType("application/json")
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();

                // QoS 1 waits for the PUBACK only as long as the token allows: always bound it. Not
                // by the stop token: a stop lets the publish in flight finish (cancelling a send
                // half-way can cost MQTTnet the connection, and with it the clean goodbye).
                using var timeout = new CancellationTokenSource(options.PublishTimeout, time);
                MqttClientPublishResult result;
                try
                {
                    result = await connection.PublishAsync(score, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (timeout.IsCancellationRequested && e is OperationCanceledException or MqttCommunicationTimedOutException)
                {
                    // MQTTnet reports a cancelled wait for PUBACK as MqttCommunicationTimedOutException.
                    return new SessionEnd(SessionEndKind.PublishFailed, $"no PUBACK for score {message.Sequence} within {options.PublishTimeout.TotalSeconds:F0} s");
                }

                if (!IsDelivered(result.ReasonCode))
                {
                    return new SessionEnd(SessionEndKind.PublishFailed, $"broker refused score {message.Sequence}: {result.ReasonCode} {result.ReasonString}".TrimEnd());
                }

                queue.Acknowledge(message.Sequence);
                Interlocked.Increment(ref published);
            }
        }
    }

    private async Task SubscribeOtaAsync(IMqttClient connection)
    {
        var subscription = clientFactory.CreateSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.OtaRequest, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        using var timeout = new CancellationTokenSource(options.PublishTimeout, time);
        var result = await connection.SubscribeAsync(subscription, timeout.Token).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
            {
                // Scores still flow; only remote model updates are off. Worth a warning, not a reconnect.
                LogSubscriptionRefused(item.TopicFilter.Topic, item.ResultCode.ToString());
            }
        }
    }

    /// <summary>Publishes the latest status on <paramref name="connection"/>, unless it is no longer the live one.</summary>
    private async Task PublishStatusAsync(IMqttClient connection, CancellationToken token)
    {
        await statusGate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            // The goodbye clears the live client before taking the gate: nothing "online" may follow its "offline".
            if (!ReferenceEquals(Volatile.Read(ref client), connection))
            {
                return;
            }

            await PublishRetainedStatusAsync(connection, Status).ConfigureAwait(false);
        }
        finally
        {
            statusGate.Release();
        }
    }

    /// <summary>Bounded by <see cref="MqttOptions.PublishTimeout"/> only, never cancelled half-way.</summary>
    private async Task PublishRetainedStatusAsync(IMqttClient connection, StatusMessage message)
    {
        var retained = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Status)
            .WithPayload(PublishingJson.Serialize(message))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .Build();
        using var timeout = new CancellationTokenSource(options.PublishTimeout, time);
        var result = await connection.PublishAsync(retained, timeout.Token).ConfigureAwait(false);
        if (!IsDelivered(result.ReasonCode))
        {
            LogStatusRefused(message.State.ToString(), result.ReasonCode.ToString());
        }
    }

    private async Task PublishStatusInBackgroundAsync()
    {
        try
        {
            if (Volatile.Read(ref client) is { } connection)
            {
                await PublishStatusAsync(connection, stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsConnectionFailure(e) || e is OperationCanceledException or ObjectDisposedException)
        {
            // The next connection publishes the status again (MqttCommunicationTimedOutException is a communication failure).
            LogStatusDeferred(e.Message);
        }
    }

    /// <summary>Retained "offline" then DISCONNECT (which tells the broker to drop the last will).</summary>
    private async Task GoodbyeAsync()
    {
        var connection = Interlocked.Exchange(ref client, null);
        if (connection is null)
        {
            return;
        }

        try
        {
            if (!connection.IsConnected)
            {
                return;
            }

            var offline = Status.AsOffline(StatusMessage.StoppedReason, time.GetUtcNow());
            Volatile.Write(ref status, offline);
            using var timeout = new CancellationTokenSource(options.PublishTimeout, time);
            await statusGate.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await PublishRetainedStatusAsync(connection, offline).ConfigureAwait(false);
            }
            finally
            {
                statusGate.Release();
            }

            var disconnect = clientFactory.CreateClientDisconnectOptionsBuilder()
                .WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection)
                .Build();
            using var disconnectTimeout = new CancellationTokenSource(options.PublishTimeout, time);
            await connection.DisconnectAsync(disconnect, disconnectTimeout.Token).ConfigureAwait(false);
            LogStopped(broker);
        }
        catch (Exception e) when (IsConnectionFailure(e) || e is OperationCanceledException)
        {
            // Without a goodbye the broker publishes the last will: still "offline".
            LogGoodbyeFailed(e.Message);
        }
        finally
        {
            connection.Dispose();
        }
    }

    private Task OnMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (string.Equals(message.Topic, Topics.OtaRequest, StringComparison.Ordinal))
        {
            // An oversized payload is not kept: its size is enough to refuse it.
            var bytes = message.Payload.Length;
            var payload = bytes > Ota.OtaRequestRead.MaxPayloadBytes ? [] : message.Payload.ToArray();
            LogOtaRequest(bytes);
            if (!otaRequests.Writer.TryWrite(new OtaRequest(payload, time.GetUtcNow(), bytes)))
            {
                LogOtaRequestTurnedAway(MaxWaitingOtaRequests);
            }
        }

        return Task.CompletedTask;
    }

    private void LogSessionEnd(SessionEnd end, TimeSpan delay)
    {
        var seconds = delay.TotalSeconds;
        switch (end.Kind)
        {
            case SessionEndKind.Refused:
                LogRefused(broker, end.Detail, seconds);
                break;
            case SessionEndKind.Tls:
                LogTlsFailed(broker, end.Detail, seconds);
                break;
            case SessionEndKind.Unusable:
                LogSettingsUnusable(end.Detail, seconds);
                break;
            case SessionEndKind.Unreachable:
                LogUnreachable(broker, end.Detail, seconds);
                break;
            default:
                LogDropped(broker, end.Detail, seconds);
                break;
        }
    }

    // mosquitto answers with NoMatchingSubscribers when nobody listens: the broker still took it.
    private static bool IsDelivered(MqttClientPublishReasonCode code) =>
        code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers;

    private static bool IsConnectionFailure(Exception e) =>
        e is MqttCommunicationException or MqttProtocolViolationException or IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException;

    private SessionEnd Lost(long connectedAt, string why) =>
        new(SessionEndKind.Lost, $"connection lost after {time.GetElapsedTime(connectedAt).TotalSeconds:F1} s: {why}");

    // MQTTnet reports a reset or closed socket as NormalDisconnection without an exception; only a
    // DISCONNECT from the broker carries a reason worth showing.
    private static string Describe(MqttClientDisconnectedEventArgs e) =>
        e.Exception is { } exception ? Innermost(exception)
        : e.Reason == MqttClientDisconnectReason.NormalDisconnection ? "closed by the network or the broker"
        : $"the broker sent DISCONNECT {e.Reason} {e.ReasonString}".TrimEnd();

    // MQTTnet wraps the socket's reason ("Connection refused") a layer or two down.
    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    private enum SessionEndKind
    {
        Stopped,
        Refused,
        Tls,
        Unusable,
        Unreachable,
        Lost,
        PublishFailed,
        Unexpected,
    }

    private sealed record SessionEnd(SessionEndKind Kind, string Detail);
}

/// <summary>A model update request as received on <c>ota/request</c>; its handling belongs to the OTA issue.</summary>
public sealed record OtaRequest(ReadOnlyMemory<byte> Payload, DateTimeOffset ReceivedAt, long ReceivedBytes);
