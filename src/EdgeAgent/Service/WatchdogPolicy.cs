using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Service;

/// <summary>
/// When systemd's watchdog is on (WATCHDOG_USEC, and WATCHDOG_PID naming this process if set),
/// WATCHDOG=1 goes out every half period, and only while the pipeline makes progress: a wedged
/// pipeline stops the pings and systemd restarts the service. The host's systemd support sends
/// READY=1 and STOPPING=1 but never WATCHDOG=1.
/// </summary>
public sealed class WatchdogPolicy(TimeSpan period, TimeSpan stallAfter)
{
    /// <summary>systemd's watchdog period, or null when the watchdog is off for this process.</summary>
    public static TimeSpan? PeriodFromEnvironment(Func<string, string?> environment, int processId)
    {
        if (environment("WATCHDOG_PID") is { Length: > 0 } pid
            && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var owner) || owner != processId))
        {
            return null;
        }

        return long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;
    }

    public TimeSpan Period { get; } = period;

    /// <summary>Pings go out at half the period, as sd_notify(3) recommends.</summary>
    public TimeSpan PingInterval => Period / 2;

    /// <summary>Whether to send WATCHDOG=1 now, given how long ago the pipeline last made progress.</summary>
    public bool ShouldPing(TimeSpan sinceProgress) => sinceProgress < stallAfter;
}
