using System.Numerics.Tensors;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// Streaming band-limited sample-rate converter for mono audio between any two integer rates
/// (16000, 22050, 48000 -> 44100, ...): feed a live stream block by block with
/// <see cref="Process(ReadOnlySpan{float}, Span{float})"/>, then <see cref="Flush(Span{float})"/>
/// once at the end. Equal rates pass samples through untouched.
/// </summary>
/// <remarks>
/// <para>Output sample n is the input signal evaluated at time n / outputRate (no time shift:
/// output timestamps are simply index / rate from the stream's start). The output lags the
/// input by <see cref="LatencyInputSamples"/> input samples because each output needs that
/// much look-ahead; <see cref="Flush(Span{float})"/> supplies it as zeros. The signal before the
/// first sample is taken as silence.</para>
/// <para>Filter: a Kaiser-windowed sinc low-pass evaluated at the exact fractional position of
/// every output (polyphase: the ratio outputRate/inputRate = L/M in lowest terms has L phases,
/// each a precomputed row of taps, normalised to unity DC gain).
/// Cutoff (the -6 dB point) = <see cref="Rolloff"/> (0.94) x half the lower of the two rates:
/// 20.7 kHz for 48000 -> 44100, 10.4 kHz for 22050 -> 44100. The sinc spans
/// <see cref="ZeroCrossings"/> (32) of its zero crossings each side (70 taps at 2x upsampling,
/// 76 at 48000 -> 44100). Kaiser beta 8.6 gives about 85 dB stopband rejection and a transition
/// band about 8% of the lower rate wide, centred on the cutoff (22050 -> 44100: within 0.01 dB
/// to 9.5 kHz, -41 dB at 11.025 kHz, below -80 dB from 11.25 kHz): a little energy just above
/// the lower Nyquist frequency can fold back into the top 2% of the band, kept that way for a
/// flat passband.
/// Memory: L x taps floats (441 x 70 for 16000 -> 44100); rate pairs needing more than
/// <see cref="MaxCoefficients"/> coefficients (only odd, non-standard pairs) are refused.</para>
/// <para>Not thread-safe: one instance per stream.</para>
/// </remarks>
public sealed class AudioResampler
{
    /// <summary>Cutoff as a fraction of the lower rate's Nyquist frequency.</summary>
    public const double Rolloff = 0.94;

    /// <summary>Sinc zero crossings kept on each side of the centre tap.</summary>
    public const int ZeroCrossings = 32;

    /// <summary>Kaiser window shape parameter (stopband about -85 dB).</summary>
    public const double KaiserBeta = 8.6;

    /// <summary>Largest coefficient table (phases x taps) a rate pair may need: 16 MiB of floats.</summary>
    public const int MaxCoefficients = 1 << 22;

    private const int ChunkInputSamples = 4096;

    private readonly int up;          // L: output samples per M input samples
    private readonly int down;        // M
    private readonly int halfTaps;    // K: taps on each side; 2K per output
    private readonly float[] coefficients;  // [phase][2K], tap j multiplies input i - K + 1 + j
    private readonly float[] history;       // input samples from absolute index historyStart on

    private long historyStart;        // absolute input index of history[0]
    private int historyCount;
    private long inputCount;          // input samples received since the start of the stream
    private long outputCount;         // output samples produced
    private long nextInputIndex;      // i = floor(outputCount * M / L)
    private int nextPhase;            // p = (outputCount * M) mod L

    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive.</exception>
    /// <exception cref="ArgumentException">The rate pair would need an oversized filter table.</exception>
    public AudioResampler(int inputSampleRate, int outputSampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSampleRate, 1);
        InputSampleRate = inputSampleRate;
        OutputSampleRate = outputSampleRate;

        var gcd = GreatestCommonDivisor(inputSampleRate, outputSampleRate);
        up = outputSampleRate / gcd;
        down = inputSampleRate / gcd;

        if (IsIdentity)
        {
            coefficients = [];
            history = [];
            return;
        }

        // Cutoff in cycles per input sample x 2 (1 = input Nyquist).
        var cutoff = Rolloff * Math.Min(1.0, (double)up / down);
        var halfWidth = ZeroCrossings / cutoff;  // in input samples
        halfTaps = (int)Math.Ceiling(halfWidth);
        var taps = 2 * halfTaps;
        if ((long)up * taps > MaxCoefficients)
        {
            throw new ArgumentException(
                $"resampling {inputSampleRate} Hz -> {outputSampleRate} Hz needs {up} filter phases x {taps} taps, more than {MaxCoefficients} coefficients; use a standard rate",
                nameof(inputSampleRate));
        }

        coefficients = new float[up * taps];
        var row = new double[taps];
        for (var phase = 0; phase < up; phase++)
        {
            var fraction = (double)phase / up;
            var sum = 0.0;
            for (var j = 0; j < taps; j++)
            {
                var offset = halfTaps - 1 - j + fraction;  // output time minus input time, in input samples
                row[j] = Math.Abs(offset) >= halfWidth ? 0.0 : cutoff * Sinc(cutoff * offset) * Kaiser(offset / halfWidth);
                sum += row[j];
            }

            for (var j = 0; j < taps; j++)
            {
                coefficients[(phase * taps) + j] = (float)(row[j] / sum);
            }
        }

        history = new float[taps + ChunkInputSamples];
        Reset();
    }

    public int InputSampleRate { get; }

    public int OutputSampleRate { get; }

    /// <summary>True when the rates are equal and samples are copied unchanged.</summary>
    public bool IsIdentity => up == down;

    /// <summary>Input samples each output waits for beyond its own time (the filter's half length).</summary>
    public int LatencyInputSamples => halfTaps;

    /// <summary>Input samples received since construction or the last flush.</summary>
    public long InputCount => inputCount;

    /// <summary>Output samples produced since construction or the last flush.</summary>
    public long OutputCount => outputCount;

    /// <summary>An output span this long always suffices for <paramref name="inputLength"/> input samples.</summary>
    public int MaxOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return IsIdentity ? inputLength : checked((int)(((long)inputLength * up / down) + 2));
    }

    /// <summary>The exact number of samples <see cref="Flush(Span{float})"/> would write now.</summary>
    public int PendingFlushLength => IsIdentity ? 0 : (int)(TotalOutputFor(inputCount) - outputCount);

    /// <summary>
    /// Resamples the next block of the stream; returns how many samples were written to
    /// <paramref name="output"/> (size it with <see cref="MaxOutputLength"/>). Allocates nothing.
    /// </summary>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < MaxOutputLength(input.Length))
        {
            throw new ArgumentException($"output holds {output.Length} samples; {MaxOutputLength(input.Length)} may be needed for {input.Length} input samples", nameof(output));
        }

        if (IsIdentity)
        {
            input.CopyTo(output);
            inputCount += input.Length;
            outputCount += input.Length;
            return input.Length;
        }

        var written = 0;
        while (!input.IsEmpty)
        {
            var take = Math.Min(input.Length, history.Length - historyCount);
            input[..take].CopyTo(history.AsSpan(historyCount));
            historyCount += take;
            inputCount += take;
            input = input[take..];
            written += Produce(long.MaxValue, output[written..]);
            Compact();
        }

        return written;
    }

    /// <summary>Convenience for callers that want a new array per block (e.g. one per <c>AudioBlock</c>).</summary>
    public float[] Process(ReadOnlySpan<float> input)
    {
        var output = new float[MaxOutputLength(input.Length)];
        var count = Process(input, output);
        return count == output.Length ? output : output.AsSpan(0, count).ToArray();
    }

    /// <summary>
    /// Ends the stream: writes the outputs still held back by the filter's look-ahead (the
    /// signal after the last input taken as silence), so the whole stream yields
    /// ceil(inputs x outputRate / inputRate) samples, then resets for a new stream.
    /// <paramref name="output"/> needs <see cref="PendingFlushLength"/> samples.
    /// </summary>
    public int Flush(Span<float> output)
    {
        var pending = PendingFlushLength;
        if (output.Length < pending)
        {
            throw new ArgumentException($"output holds {output.Length} samples; the flush writes {pending}", nameof(output));
        }

        var end = TotalOutputFor(inputCount);
        var written = 0;
        while (outputCount < end)
        {
            // Zeros after the end of the stream, a chunk at a time, until every output is due.
            var zeros = Math.Min(history.Length - historyCount, ChunkInputSamples);
            history.AsSpan(historyCount, zeros).Clear();
            historyCount += zeros;
            written += Produce(end, output[written..]);
            Compact();
        }

        Reset();
        return written;
    }

    /// <summary>Convenience form of <see cref="Flush(Span{float})"/>.</summary>
    public float[] Flush()
    {
        var output = new float[PendingFlushLength];
        Flush(output);
        return output;
    }

    /// <summary>Forgets the stream so far: the next sample starts a new stream at time 0.</summary>
    public void Reset()
    {
        // K - 1 zeros stand for the silence before the stream, so output 0 has all its taps.
        Array.Clear(history);
        historyStart = IsIdentity ? 0 : -(halfTaps - 1);
        historyCount = IsIdentity ? 0 : halfTaps - 1;
        inputCount = 0;
        outputCount = 0;
        nextInputIndex = 0;
        nextPhase = 0;
    }

    /// <summary>Outputs at times n / outputRate before the end of an input of <paramref name="inputs"/> samples.</summary>
    private long TotalOutputFor(long inputs) => ((inputs * up) + down - 1) / down;

    /// <summary>Writes every output whose taps are all in the history (and whose index is below <paramref name="end"/>).</summary>
    private int Produce(long end, Span<float> output)
    {
        var taps = 2 * halfTaps;
        var available = historyStart + historyCount;
        var written = 0;
        while (outputCount < end && nextInputIndex + halfTaps < available)
        {
            var first = (int)(nextInputIndex - halfTaps + 1 - historyStart);
            output[written++] = TensorPrimitives.Dot(
                history.AsSpan(first, taps),
                coefficients.AsSpan(nextPhase * taps, taps));
            outputCount++;
            nextPhase += down;
            nextInputIndex += nextPhase / up;
            nextPhase %= up;
        }

        return written;
    }

    /// <summary>Drops input samples no future output needs.</summary>
    private void Compact()
    {
        var keepFrom = nextInputIndex - halfTaps + 1;
        var drop = (int)Math.Clamp(keepFrom - historyStart, 0, historyCount);
        if (drop == 0)
        {
            return;
        }

        history.AsSpan(drop, historyCount - drop).CopyTo(history);
        historyCount -= drop;
        historyStart += drop;
    }

    private static double Sinc(double x) => x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    /// <summary>Kaiser window at u in [-1, 1].</summary>
    private static double Kaiser(double u) => BesselI0(KaiserBeta * Math.Sqrt(Math.Max(0.0, 1.0 - (u * u)))) / BesselI0(KaiserBeta);

    /// <summary>Modified Bessel function of the first kind, order 0 (power series; converges fast for the betas used here).</summary>
    private static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var quarterSquare = x * x / 4.0;
        for (var k = 1; k < 64 && term > 1e-17 * sum; k++)
        {
            term *= quarterSquare / (k * k);
            sum += term;
        }

        return sum;
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
