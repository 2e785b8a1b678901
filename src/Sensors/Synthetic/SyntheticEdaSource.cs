using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>
/// Electrodermal activity in microsiemens (<see cref="SkinConductanceSignal"/>), one reading at
/// a time as the ADC delivers it. The signal is a function of the reading index alone, so
/// dropouts never shift it. Every enumeration starts again at reading 0.
/// </summary>
public sealed class SyntheticEdaSource : ISampleSource<EdaSample>
{
    private readonly SyntheticEdaOptions options;

    public SyntheticEdaSource(SyntheticEdaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        Description = string.Create(CultureInfo.InvariantCulture, $"synthetic EDA at {options.SampleRate} Hz (seed {options.Seed})");
    }

    public string Description { get; }

    public double SampleRate => options.SampleRate;

    public async IAsyncEnumerable<EdaSample> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var signal = new SkinConductanceSignal(options);
        // Electrode-off readings: a few nanosiemens of leakage, never negative.
        var leakage = new Random(unchecked((options.Seed * 104729) + 3));
        var pacer = new Pacer(options.Pacing, options.TimeProvider);
        pacer.Start(TimeSpan.Zero);

        for (long index = 0; ; index++)
        {
            var timestamp = MediaTime.OfSample(index, options.SampleRate);
            if (!options.Covers(timestamp))
            {
                yield break;
            }

            var value = signal.Next();
            var dropout = options.Dropouts.KindAt(SensorModality.Eda, timestamp);
            switch (dropout)
            {
                case DropoutKind.Missing:
                    continue;
                case DropoutKind.ElectrodeOff:
                    value = Math.Abs(0.002 * leakage.NextGaussian());
                    break;
                case DropoutKind.Saturated:
                    value = options.SaturatedMicrosiemens;
                    break;
                default:
                    break;
            }

            await pacer.WaitUntilAsync(timestamp, cancellationToken).ConfigureAwait(false);
            yield return new EdaSample(timestamp, value);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
