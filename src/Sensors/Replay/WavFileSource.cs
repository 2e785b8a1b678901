using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Sensors.Replay;

/// <summary>
/// Replays a WAV file as mono <see cref="AudioBlock"/>s at the pack's rate: the file is read
/// (<see cref="WavFile"/>), resampled (<see cref="AudioResampler"/>) and cut into blocks of
/// <see cref="BlockDuration"/> (the last one shorter). Block timestamps are exact media time:
/// start + (index of the block's first output sample) / targetSampleRate. Blocks come as fast
/// as they are read; pacing is the consumer's business.
/// </summary>
public sealed class WavFileSource : ISampleSource<AudioBlock>
{
    private readonly string path;
    private AudioResampler? resampler;

    /// <param name="path">The WAV file.</param>
    /// <param name="targetSampleRate">Rate of the blocks, Hz (the pack's <c>audio.sampleRate</c>).</param>
    /// <param name="blockDuration">Length of a block; default 20 ms.</param>
    /// <param name="start">Timestamp of the file's first sample; default 0.</param>
    public WavFileSource(string path, int targetSampleRate, TimeSpan? blockDuration = null, TimeSpan? start = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetSampleRate, 1);
        var duration = blockDuration ?? TimeSpan.FromMilliseconds(20);
        BlockSamples = (int)Math.Round(duration.TotalSeconds * targetSampleRate);
        if (BlockSamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(blockDuration), duration, $"a block must hold at least one sample at {targetSampleRate} Hz");
        }

        this.path = path;
        TargetSampleRate = targetSampleRate;
        BlockDuration = duration;
        Start = start ?? TimeSpan.Zero;
    }

    public string Description => $"audio file {path}";

    public int TargetSampleRate { get; }

    public TimeSpan BlockDuration { get; }

    /// <summary>Samples per block: BlockDuration x TargetSampleRate, rounded.</summary>
    public int BlockSamples { get; }

    public TimeSpan Start { get; }

    /// <summary>The file read so far; null until <see cref="ReadAsync"/> has opened it. Says whether it was <see cref="WavFile.Truncated"/>.</summary>
    public WavFile? OpenedFile { get; private set; }

    /// <exception cref="SourceException">The file is missing, unreadable or not a supported WAV.</exception>
    public async IAsyncEnumerable<AudioBlock> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var wav = OpenedFile ?? await OpenAsync(cancellationToken).ConfigureAwait(false);
        var resampler = this.resampler!;

        var blocks = new AudioBlockAssembler(BlockSamples, TargetSampleRate, Start);

        // Feed about one block of input at a time, so memory beyond the file itself stays small.
        var inputChunk = Math.Max(1, (int)Math.Ceiling((double)BlockSamples * wav.SampleRate / TargetSampleRate));
        for (var offset = 0; offset < wav.Samples.Length; offset += inputChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = wav.Samples.Span.Slice(offset, Math.Min(inputChunk, wav.Samples.Length - offset));
            blocks.Commit(resampler.Process(chunk, blocks.Reserve(resampler.MaxOutputLength(chunk.Length))));
            while (blocks.TryTake(final: false, out var block))
            {
                yield return block;
            }
        }

        blocks.Commit(resampler.Flush(blocks.Reserve(resampler.PendingFlushLength)));
        while (blocks.TryTake(final: true, out var block))
        {
            yield return block;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Reads and checks the file now (<see cref="ReadAsync"/> does it otherwise), so a broken one, or
    /// a rate that cannot be resampled to the pack's, is a clear error before any work: the message
    /// names the file and what is wrong with it.
    /// </summary>
    /// <exception cref="SourceException">The file is missing, unreadable or not a supported WAV.</exception>
    public async Task<WavFile> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Parse errors name the file only by its name: the description already has the path.
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var wav = WavFile.Parse(bytes, Path.GetFileName(path));
            resampler = CreateResampler(wav.SampleRate);
            OpenedFile = wav;
            return wav;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new SourceException(Description, e.Message, e);
        }
    }

    private AudioResampler CreateResampler(int fileRate)
    {
        try
        {
            return new AudioResampler(fileRate, TargetSampleRate);
        }
        catch (ArgumentException e)
        {
            throw new SourceException(Description, $"cannot resample its {fileRate} Hz to {TargetSampleRate} Hz: {e.Message}", e);
        }
    }
}
