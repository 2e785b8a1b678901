namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>Publishes a health message every <see cref="MqttOptions.HealthInterval"/> until cancelled.</summary>
public sealed class HealthReporter
{
    private readonly TimeSpan interval;
    private readonly MqttPublisher publisher;
    private readonly Func<HealthMessage> build;
    private readonly TimeProvider time;

    /// <param name="build">Called once per interval (for example a <see cref="HealthMessageBuilder"/> with the pipeline's figures).</param>
    public HealthReporter(MqttOptions options, MqttPublisher publisher, Func<HealthMessage> build, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(build);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.HealthInterval, TimeSpan.Zero);
        interval = options.HealthInterval;
        this.publisher = publisher;
        this.build = build;
        time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Returns when <paramref name="cancellationToken"/> is cancelled; a failed publish waits for the next tick.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await publisher.PublishHealthAsync(build(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
