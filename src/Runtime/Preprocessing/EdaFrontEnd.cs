using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// Turns a stream of EDA readings into the EDA backbone's input: each reading is low-pass
/// filtered at the device's rate (the pack's Butterworth order and cutoff, causal), kept in a
/// bounded history, and <see cref="Fill"/> samples that history at the pack's rate, by linear
/// interpolation, for a segment ending at any time, scaled (uS - mean) / std.
/// </summary>
/// <remarks>
/// <para>Outside the readings the value is held: before the oldest kept reading its value,
/// after the newest the newest (how stale that is shows in <see cref="EdaSegmentQuality.NewestSampleAge"/>).
/// With no readings at all the segment is the neutral value.</para>
/// <para>The filter assumes readings arrive at about <see cref="InputSampleRate"/>. It starts at
/// the first reading's value (no start-up transient) and restarts the same way after a gap of
/// more than max(0.5 s, 8 periods), where its state would describe a signal long gone. When the
/// cutoff is at or above the device's Nyquist frequency no filter runs (<see cref="IsFiltering"/>):
/// such a device cannot carry the band the filter removes.</para>
/// <para>A reading that is not a finite number (a broken file, driver or calibration) is kept as
/// an invalid reading: it counts in <see cref="EdaSegmentQuality.InvalidSamples"/>, does not enter
/// the filter, and the signal holds its previous value over it.</para>
/// <para>Not thread-safe: one instance per pipeline.</para>
/// </remarks>
public sealed class EdaFrontEnd
{
    private const double MinRestartGapSeconds = 0.5;
    private const double RestartGapPeriods = 8;

    private readonly ButterworthLowpass? filter;
    private readonly double mean;
    private readonly double std;
    private readonly double validMin;
    private readonly double validMax;
    private readonly double neutralMicrosiemens;
    private readonly double spanSeconds;
    private readonly long restartGapTicks;
    private readonly Reading[] readings;   // ring, oldest at head

    private int head;
    private int count;

    /// <param name="spec">The pack's eda block.</param>
    /// <param name="inputSampleRate">Nominal rate of the device or file, Hz.</param>
    /// <param name="neutralMicrosiemens">Value when there are no readings (the pack's <c>missing.value</c>); default <c>spec.Mean</c>.</param>
    /// <param name="historySlack">History kept beyond one segment span, so a segment may end that far behind the newest reading; default 5 s.</param>
    /// <exception cref="ArgumentException">A spec field or argument is out of range; the message names it.</exception>
    public EdaFrontEnd(EdaSpec spec, double inputSampleRate, double? neutralMicrosiemens = null, TimeSpan? historySlack = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        if (!double.IsFinite(inputSampleRate) || inputSampleRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSampleRate), inputSampleRate, "input sample rate must be positive and finite");
        }

        var slack = historySlack ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(slack, TimeSpan.Zero, nameof(historySlack));
        var neutral = neutralMicrosiemens ?? spec.Mean;
        if (!double.IsFinite(neutral))
        {
            throw new ArgumentOutOfRangeException(nameof(neutralMicrosiemens), neutral, "neutral value must be finite");
        }

        InputSampleRate = inputSampleRate;
        SampleRate = spec.SampleRate;
        SegmentSamples = spec.SegmentSamples;
        mean = spec.Mean;
        std = spec.Std;
        validMin = spec.ValidMin;
        validMax = spec.ValidMax;
        this.neutralMicrosiemens = neutral;
        NeutralValue = Normalize(neutral);
        spanSeconds = (SegmentSamples - 1) / SampleRate;
        restartGapTicks = (long)(Math.Max(MinRestartGapSeconds, RestartGapPeriods / inputSampleRate) * TimeSpan.TicksPerSecond);
        filter = spec.LowpassHz < inputSampleRate / 2
            ? new ButterworthLowpass(spec.FilterOrder, spec.LowpassHz, inputSampleRate)
            : null;

        var capacity = (long)Math.Ceiling(inputSampleRate * (spanSeconds + slack.TotalSeconds)) + 2;
        readings = new Reading[checked((int)capacity)];
    }

    /// <summary>The device's nominal rate, Hz: the filter runs at this rate.</summary>
    public double InputSampleRate { get; }

    /// <summary>The network's rate, Hz (<c>eda.sampleRate</c>).</summary>
    public double SampleRate { get; }

    /// <summary>Values <see cref="Fill"/> writes (<c>eda.segmentSamples</c>).</summary>
    public int SegmentSamples { get; }

    /// <summary>False when the cutoff is at or above the input's Nyquist frequency and readings pass unfiltered.</summary>
    public bool IsFiltering => filter is not null;

    /// <summary>The normalised value of the neutral level: what a segment with no readings holds.</summary>
    public float NeutralValue { get; }

    /// <summary>Readings currently kept.</summary>
    public int Count => count;

    /// <summary>Maximum readings kept (one span plus the slack at the input rate).</summary>
    public int Capacity => readings.Length;

    /// <summary>The network's scaling of a conductance: (uS - mean) / std.</summary>
    public float Normalize(double microsiemens) => (float)((microsiemens - mean) / std);

    /// <summary>Filters and keeps one reading (an invalid one if it is not finite); the oldest goes when the history is full.</summary>
    /// <exception cref="ArgumentException">The timestamp is not after the previous reading's.</exception>
    public void Push(EdaSample sample)
    {
        var restart = count == 0;
        if (count > 0)
        {
            var previous = At(count - 1).Ticks;
            if (sample.Timestamp.Ticks <= previous)
            {
                throw new ArgumentException($"EDA reading at {sample.Timestamp} is not after the previous one at {TimeSpan.FromTicks(previous)}", nameof(sample));
            }

            restart = sample.Timestamp.Ticks - previous > restartGapTicks;
        }

        Reading reading;
        if (!double.IsFinite(sample.Microsiemens))
        {
            // Held at the previous value, outside the filter: NaN would poison its state for good.
            var held = count > 0 ? At(count - 1).Filtered : neutralMicrosiemens;
            reading = new Reading(sample.Timestamp.Ticks, double.NaN, held);
        }
        else
        {
            if (restart)
            {
                filter?.Reset(sample.Microsiemens);
            }

            var filtered = filter?.Process(sample.Microsiemens) ?? sample.Microsiemens;
            reading = new Reading(sample.Timestamp.Ticks, sample.Microsiemens, filtered);
        }

        if (count == readings.Length)
        {
            readings[head] = reading;
            head = (head + 1) % readings.Length;
        }
        else
        {
            readings[(head + count) % readings.Length] = reading;
            count++;
        }
    }

    /// <summary>
    /// Writes the segment ending at <paramref name="end"/>: value i is the filtered signal at
    /// end - (segmentSamples - 1 - i) / sampleRate, normalised. Allocates nothing.
    /// </summary>
    public EdaSegmentQuality Fill(TimeSpan end, Span<float> destination)
    {
        if (destination.Length != SegmentSamples)
        {
            throw new ArgumentException($"destination holds {destination.Length} values; eda.segmentSamples is {SegmentSamples}", nameof(destination));
        }

        var expected = (int)Math.Round((spanSeconds * InputSampleRate) + 1);
        if (count == 0)
        {
            destination.Fill(NeutralValue);
            return new EdaSegmentQuality(0, expected, 0, null);
        }

        // Times are in seconds relative to end, so precision does not depend on the clock's epoch.
        var endTicks = end.Ticks;
        var next = CountAtOrBefore(endTicks - (long)Math.Round(spanSeconds * TimeSpan.TicksPerSecond) - 1);
        var quality = Assess(next, endTicks, expected);
        for (var i = 0; i < destination.Length; i++)
        {
            var t = -(SegmentSamples - 1 - i) / SampleRate;
            while (next < count && Seconds(At(next).Ticks, endTicks) <= t)
            {
                next++;
            }

            double value;
            if (next == 0)
            {
                value = At(0).Filtered;
            }
            else if (next == count)
            {
                value = At(count - 1).Filtered;
            }
            else
            {
                var (a, b) = (At(next - 1), At(next));
                var ta = Seconds(a.Ticks, endTicks);
                var fraction = (t - ta) / (Seconds(b.Ticks, endTicks) - ta);
                value = a.Filtered + (fraction * (b.Filtered - a.Filtered));
            }

            destination[i] = Normalize(value);
        }

        return quality;
    }

    /// <summary>Forgets every reading and the filter state.</summary>
    public void Clear()
    {
        head = 0;
        count = 0;
    }

    /// <summary>Counts readings from index <paramref name="first"/> (the first one in the span or later) up to end.</summary>
    private EdaSegmentQuality Assess(int first, long endTicks, int expected)
    {
        int inSpan = 0, outOfRange = 0, invalid = 0, newest = -1;
        for (var i = first; i < count && At(i).Ticks <= endTicks; i++)
        {
            inSpan++;
            newest = i;
            var raw = At(i).Raw;
            if (double.IsNaN(raw))
            {
                invalid++;
            }
            else if (raw < validMin || raw > validMax)
            {
                outOfRange++;
            }
        }

        if (newest < 0)
        {
            newest = CountAtOrBefore(endTicks) - 1;
        }

        TimeSpan? age = newest >= 0 ? TimeSpan.FromTicks(endTicks - At(newest).Ticks) : null;
        return new EdaSegmentQuality(inSpan, expected, outOfRange, age, invalid);
    }

    /// <summary>How many kept readings have timestamps at or before <paramref name="ticks"/> (binary search).</summary>
    private int CountAtOrBefore(long ticks)
    {
        int low = 0, high = count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (At(mid).Ticks <= ticks)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static double Seconds(long ticks, long endTicks) => (double)(ticks - endTicks) / TimeSpan.TicksPerSecond;

    private ref readonly Reading At(int index) => ref readings[(head + index) % readings.Length];

    private static void Validate(EdaSpec spec)
    {
        Require(double.IsFinite(spec.SampleRate) && spec.SampleRate > 0, "sampleRate", $"must be positive (is {spec.SampleRate})");
        Require(spec.SegmentSamples >= 1, "segmentSamples", $"must be positive (is {spec.SegmentSamples})");
        Require(double.IsFinite(spec.LowpassHz) && spec.LowpassHz > 0, "lowpassHz", $"must be positive (is {spec.LowpassHz})");
        Require(spec.FilterOrder is >= 1 and <= ButterworthLowpass.MaxOrder, "filterOrder", $"must be in 1..{ButterworthLowpass.MaxOrder} (is {spec.FilterOrder})");
        Require(double.IsFinite(spec.Mean), "mean", $"must be finite (is {spec.Mean})");
        Require(double.IsFinite(spec.Std) && spec.Std > 0, "std", $"must be positive (is {spec.Std})");
        Require(double.IsFinite(spec.ValidMin) && double.IsFinite(spec.ValidMax) && spec.ValidMin <= spec.ValidMax, "validMin", $"and validMax must be finite with validMin <= validMax (are {spec.ValidMin}, {spec.ValidMax})");
    }

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"eda.{field} {problem}", nameof(EdaSpec) + "." + field);
        }
    }

    private readonly record struct Reading(long Ticks, double Raw, double Filtered);
}
