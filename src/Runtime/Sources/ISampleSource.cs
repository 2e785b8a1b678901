namespace EdgeEmotion.Runtime.Sources;

/// <summary>
/// A stream of timestamped samples of one modality: a device, a replay file or a synthetic
/// generator. Samples come in timestamp order. A source that ends (end of file) completes its
/// enumeration; one that fails for good throws <see cref="SourceException"/>. Device sources
/// reconnect on their own and simply go quiet meanwhile: the pipeline notices the stall.
/// </summary>
public interface ISampleSource<out T> : IAsyncDisposable
{
    /// <summary>What this source reads, for logs and status ("video file a.mp4", "camera csi0").</summary>
    string Description { get; }

    IAsyncEnumerable<T> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>A source failed in a way it cannot recover from by itself.</summary>
public sealed class SourceException(string source, string message, Exception? inner = null)
    : Exception($"{source}: {message}", inner)
{
    public string SourceDescription { get; } = source;
}
