using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>
/// Mono speech-like audio (<see cref="SpeechLikeSignal"/>) in blocks, as a microphone delivers
/// it. Blocks are cut at dropout edges so each block is wholly inside or outside a dropout;
/// the underlying signal is a function of the sample index alone, so dropouts never shift it.
/// Every enumeration starts again at sample 0.
/// </summary>
public sealed class SyntheticAudioSource : ISampleSource<AudioBlock>
{
    private readonly SyntheticAudioOptions options;

    public SyntheticAudioSource(SyntheticAudioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        Description = string.Create(CultureInfo.InvariantCulture, $"synthetic audio at {options.SampleRate} Hz (seed {options.Seed})");
    }

    public string Description { get; }

    public int SampleRate => options.SampleRate;

    public async IAsyncEnumerable<AudioBlock> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rate = options.SampleRate;
        var total = options.Duration is { } duration ? MediaTime.FirstSampleAtOrAfter(duration, rate) : long.MaxValue;
        var signal = new SpeechLikeSignal(options.Seed, rate, options.SpeechLevel, options.NoiseLevel);
        var pacer = new Pacer(options.Pacing, options.TimeProvider);
        pacer.Start(TimeSpan.Zero);
        var pool = new AudioBlockPool(options.BlockSamples);

        for (long first = 0; first < total;)
        {
            var start = MediaTime.OfSample(first, rate);
            var end = Math.Min(first + options.BlockSamples, total);
            if (options.Dropouts.NextChangeAfter(SensorModality.Audio, start) is { } change)
            {
                end = Math.Min(end, MediaTime.FirstSampleAtOrAfter(change, rate));
            }

            // Pooled: the consumer disposes each block once it has copied the samples.
            var block = pool.Rent(start, rate, (int)(end - first));
            signal.Fill(block.Samples);
            first = end;

            var dropout = options.Dropouts.KindAt(SensorModality.Audio, start);
            if (dropout == DropoutKind.Missing)
            {
                block.Dispose();
                continue;
            }

            ApplyDropout(dropout, block.Samples);

            // A capture block is ready once its last sample is in.
            await pacer.WaitUntilAsync(MediaTime.OfSample(end, rate), cancellationToken).ConfigureAwait(false);
            yield return block;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void ApplyDropout(DropoutKind? dropout, float[] samples)
    {
        switch (dropout)
        {
            case DropoutKind.Silence:
                Array.Clear(samples);
                break;
            case DropoutKind.Clipped:
                var gain = (float)options.ClippingGain;
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = Math.Clamp(samples[i] * gain, -1f, 1f);
                }

                break;
            default:
                // Speech peaks at SpeechLevel; only extreme noise draws could pass full scale.
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = Math.Clamp(samples[i], -1f, 1f);
                }

                break;
        }
    }
}
