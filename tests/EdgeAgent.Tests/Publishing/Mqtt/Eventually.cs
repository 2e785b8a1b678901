using System.Diagnostics;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>Awaits a condition with a generous bound, so tests wait for events rather than for fixed times.</summary>
internal static class Eventually
{
    /// <summary>A guard against a hang, never a speed limit: an agent process starting on a busy two-core machine can take tens of seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout, diagnostics);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:F0} s for {what}.{(diagnostics is null ? "" : Environment.NewLine + diagnostics())}");
            }

            await Task.Delay(20);
        }
    }
}
