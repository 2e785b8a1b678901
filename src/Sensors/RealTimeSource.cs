using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Sensors;

/// <summary>
/// Plays a recorded source at the pace of its timestamps, as a device would deliver it: the
/// service runs file sources through this so live scoring sees the same timing as a camera.
/// </summary>
public sealed class RealTimeSource<T>(ISampleSource<T> inner, Func<T, TimeSpan> timestamp, TimeProvider? clock = null) : ISampleSource<T>
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    public string Description => inner.Description + " (real time)";

    public async IAsyncEnumerable<T> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pacer = new Pacer(SourcePacing.RealTime, clock);
        pacer.Start(TimeSpan.Zero);
        await foreach (var sample in inner.ReadAsync(cancellationToken))
        {
            await pacer.WaitUntilAsync(timestamp(sample), cancellationToken);
            yield return sample;
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
