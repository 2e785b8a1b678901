using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Service;

/// <summary>
/// <c>edgeemo run</c> under the generic host. systemd notifications are sent here rather than by
/// the host's systemd lifetime: READY=1 only once the models are loaded and scoring has begun
/// (a first TensorRT engine build takes minutes), WATCHDOG=1 only while the pipeline progresses,
/// STATUS= with what the agent is doing, STOPPING=1 on the way out.
/// </summary>
internal sealed partial class AgentService(
    AgentConfig config, string baseDirectory, ILoggerFactory loggers, ISystemdNotifier notifier, IHostApplicationLifetime lifetime, ILogger<AgentService> logger)
    : BackgroundService
{
    /// <summary>The process exit code: non-zero when the agent stopped on an error.</summary>
    public int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runner = new AgentRunner(config, baseDirectory, loggers);
        using var watchdogStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watchdog = WatchAsync(runner, watchdogStop.Token);
        try
        {
            Notify("STATUS=loading models");
            await runner.RunAsync(() => notifier.Notify(ServiceState.Ready), stoppingToken);
        }
        catch (QueueFolderException e) when (!stoppingToken.IsCancellationRequested)
        {
            // The operator's problem, said in one line (another agent, a broken lock file): no stack trace.
            LogCannotStart(e.Message);
            ExitCode = 1;
            Notify($"STATUS=failed: {e.Message}");
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(e);
            ExitCode = 1;
            Notify($"STATUS=failed: {e.Message}");
        }
        finally
        {
            notifier.Notify(ServiceState.Stopping);
            await watchdogStop.CancelAsync();
            try
            {
                await watchdog;
            }
            catch (OperationCanceledException)
            {
            }

            lifetime.StopApplication();
        }
    }

    private async Task WatchAsync(AgentRunner runner, CancellationToken cancellationToken)
    {
        var period = WatchdogPolicy.PeriodFromEnvironment(Environment.GetEnvironmentVariable, Environment.ProcessId);
        var policy = period is { } p ? new WatchdogPolicy(p, config.Service.StallAfter) : null;
        using var timer = new PeriodicTimer(policy?.PingInterval ?? TimeSpan.FromSeconds(5));
        var stalled = false;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            Notify($"STATUS={runner.StatusLine}");
            if (policy is null || runner.SinceProgress is not { } since)
            {
                continue;
            }

            if (policy.ShouldPing(since))
            {
                Notify("WATCHDOG=1");
                stalled = false;
            }
            else if (!stalled)
            {
                stalled = true;
                LogStalled(since.TotalSeconds);
            }
        }
    }

    private void Notify(string state)
    {
        if (notifier.IsEnabled)
        {
            notifier.Notify(new ServiceState(state));
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The agent cannot start: {Reason}")]
    private partial void LogCannotStart(string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The agent stopped on an error")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The pipeline has made no progress for {Seconds:F0} s: watchdog pings withheld, systemd will restart the service")]
    private partial void LogStalled(double seconds);
}
