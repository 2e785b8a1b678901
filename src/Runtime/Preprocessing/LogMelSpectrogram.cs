using System.Numerics;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// The audio backbone's input: a normalised log-mel spectrogram of one segment, computed the
/// way torchaudio's <c>MelSpectrogram</c> + <c>AmplitudeToDB</c> do (docs/model-pack.md,
/// "Log-mel front end"), from the pack's <see cref="AudioSpec"/> alone.
/// Arithmetic is in double (torchaudio's float32 result is matched to ~1e-5), and all scratch
/// is allocated by the constructor so <see cref="Compute"/> allocates nothing. Not thread-safe:
/// one instance per pipeline.
/// </summary>
public sealed class LogMelSpectrogram
{
    private readonly RealFft fft;
    private readonly int hopLength;
    private readonly int windowOffset;           // first non-zero window sample in the nFft frame
    private readonly double[] window;            // periodic Hann of winLength
    private readonly double power;
    private readonly MelFilter[] filters;
    private readonly double dbMultiplier;
    private readonly double amin;
    private readonly double? topDb;
    private readonly double normOffset;
    private readonly double normScale;
    private readonly int pad;                    // reflection padding at each end (center)

    private readonly double[] frame;
    private readonly Complex[] spectrum;
    private readonly double[] powerSpectrum;
    private readonly double[] decibels;          // [nMels, frames]

    /// <exception cref="ArgumentException">The spec asks for something this front end does not do; the message names the field.</exception>
    public LogMelSpectrogram(AudioSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);

        SampleRate = spec.SampleRate;
        SegmentSamples = spec.SegmentSamples;
        MelBands = spec.NMels;
        hopLength = spec.HopLength;
        pad = spec.Center ? spec.NFft / 2 : 0;
        Frames = 1 + ((SegmentSamples + (2 * pad) - spec.NFft) / hopLength);

        fft = new RealFft(spec.NFft);
        windowOffset = (spec.NFft - spec.WinLength) / 2;
        window = new double[spec.WinLength];
        for (var n = 0; n < window.Length; n++)
        {
            window[n] = 0.5 - (0.5 * Math.Cos(2.0 * Math.PI * n / spec.WinLength));
        }

        power = spec.Power;
        var fMax = spec.FMax ?? (spec.SampleRate / 2);
        filters = MelFilter.HtkBank(spec.SampleRate, spec.NFft, spec.NMels, spec.FMin, fMax);
        dbMultiplier = spec.DbMultiplier;
        amin = spec.Amin;
        topDb = spec.TopDb;
        normOffset = spec.NormOffset;
        normScale = spec.NormScale;

        frame = new double[spec.NFft];
        spectrum = new Complex[fft.Bins];
        powerSpectrum = new double[fft.Bins];
        decibels = new double[MelBands * Frames];
    }

    public int SampleRate { get; }

    /// <summary>Samples <see cref="Compute"/> takes: the segment, already left-zero-padded by the caller.</summary>
    public int SegmentSamples { get; }

    /// <summary>Mel rows of the output (nMels).</summary>
    public int MelBands { get; }

    /// <summary>Time columns of the output: <c>1 + segmentSamples / hopLength</c> when centred.</summary>
    public int Frames { get; }

    /// <summary><see cref="MelBands"/> x <see cref="Frames"/>: the floats <see cref="Compute"/> writes.</summary>
    public int OutputLength => MelBands * Frames;

    /// <summary>
    /// Writes the normalised log-mel of <paramref name="segment"/> (exactly
    /// <see cref="SegmentSamples"/> mono samples, full scale +-1) into
    /// <paramref name="destination"/> row-major [mel][frame]: the backbone tensor [1, 1, nMels, frames].
    /// </summary>
    public void Compute(ReadOnlySpan<float> segment, Span<float> destination)
    {
        if (segment.Length != SegmentSamples)
        {
            throw new ArgumentException($"segment has {segment.Length} samples; the pack's segmentSamples is {SegmentSamples}", nameof(segment));
        }

        if (destination.Length != OutputLength)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats; nMels x frames = {MelBands} x {Frames} = {OutputLength}", nameof(destination));
        }

        var maxDb = double.NegativeInfinity;
        for (var t = 0; t < Frames; t++)
        {
            LoadWindowedFrame(segment, t * hopLength);
            fft.Forward(frame, spectrum);
            for (var k = 0; k < spectrum.Length; k++)
            {
                var re = spectrum[k].Real;
                var im = spectrum[k].Imaginary;
                var squared = (re * re) + (im * im);
                powerSpectrum[k] = power == 2.0 ? squared : Math.Pow(squared, power / 2.0);
            }

            for (var m = 0; m < filters.Length; m++)
            {
                var db = dbMultiplier * Math.Log10(Math.Max(filters[m].Apply(powerSpectrum), amin));
                decibels[(m * Frames) + t] = db;
                maxDb = Math.Max(maxDb, db);
            }
        }

        // One floor for the whole segment, as AmplitudeToDB does for a single spectrogram.
        var floor = topDb is { } range ? maxDb - range : double.NegativeInfinity;
        for (var i = 0; i < decibels.Length; i++)
        {
            destination[i] = (float)((Math.Max(decibels[i], floor) + normOffset) / normScale);
        }
    }

    /// <summary>Fills <see cref="frame"/> with the windowed samples of the frame starting at <paramref name="start"/> of the padded signal.</summary>
    private void LoadWindowedFrame(ReadOnlySpan<float> segment, int start)
    {
        // Only the window's support is written; the zeros around it never change.
        var first = start + windowOffset - pad;
        for (var n = 0; n < window.Length; n++)
        {
            frame[windowOffset + n] = window[n] * segment[Reflect(first + n, segment.Length)];
        }
    }

    /// <summary>Index into the unpadded signal for a (possibly out-of-range) one, mirrored without repeating the edge.</summary>
    private static int Reflect(int index, int length)
    {
        if (index < 0)
        {
            return -index;
        }

        return index >= length ? (2 * (length - 1)) - index : index;
    }

    private static void Validate(AudioSpec spec)
    {
        Require(spec.SampleRate > 0, "sampleRate", $"must be positive (is {spec.SampleRate})");
        Require(spec.NFft >= 2 && BitOperations.IsPow2(spec.NFft), "nFft", $"must be a power of two (is {spec.NFft}): the FFT is radix-2");
        Require(spec.WinLength >= 1 && spec.WinLength <= spec.NFft, "winLength", $"must be in 1..nFft ({spec.NFft}) (is {spec.WinLength})");
        Require(spec.HopLength >= 1, "hopLength", $"must be positive (is {spec.HopLength})");
        Require(string.Equals(spec.Window, "hann", StringComparison.Ordinal), "window", $"'{spec.Window}' is not supported; only 'hann'");
        if (spec.Center)
        {
            Require(string.Equals(spec.PadMode, "reflect", StringComparison.Ordinal), "padMode", $"'{spec.PadMode}' is not supported; only 'reflect'");
            Require(spec.SegmentSamples > spec.NFft / 2, "segmentSamples", $"must exceed nFft/2 ({spec.NFft / 2}) for reflection padding (is {spec.SegmentSamples})");
        }
        else
        {
            Require(spec.SegmentSamples >= spec.NFft, "segmentSamples", $"must be at least nFft ({spec.NFft}) when center is false (is {spec.SegmentSamples})");
        }

        Require(spec.NMels >= 1, "nMels", $"must be positive (is {spec.NMels})");
        Require(string.Equals(spec.MelScale, "htk", StringComparison.Ordinal), "melScale", $"'{spec.MelScale}' is not supported; only 'htk'");
        Require(string.Equals(spec.MelNorm, "none", StringComparison.Ordinal), "melNorm", $"'{spec.MelNorm}' is not supported; only 'none'");
        var nyquist = spec.SampleRate / 2;
        var fMax = spec.FMax ?? nyquist;
        Require(double.IsFinite(spec.FMin) && spec.FMin >= 0, "fMin", $"must be >= 0 (is {spec.FMin})");
        Require(double.IsFinite(fMax) && fMax > spec.FMin && fMax <= nyquist, "fMax", $"must be in (fMin, sampleRate/2 = {nyquist}] (is {fMax})");
        Require(double.IsFinite(spec.Power) && spec.Power > 0, "power", $"must be positive (is {spec.Power})");
        Require(double.IsFinite(spec.DbMultiplier) && spec.DbMultiplier > 0, "dbMultiplier", $"must be positive (is {spec.DbMultiplier})");
        Require(double.IsFinite(spec.Amin) && spec.Amin > 0, "amin", $"must be positive (is {spec.Amin})");
        Require(spec.TopDb is null || (double.IsFinite(spec.TopDb.Value) && spec.TopDb.Value >= 0), "topDb", $"must be >= 0 when present (is {spec.TopDb})");
        Require(double.IsFinite(spec.NormOffset), "normOffset", $"must be finite (is {spec.NormOffset})");
        Require(double.IsFinite(spec.NormScale) && spec.NormScale != 0, "normScale", $"must be finite and non-zero (is {spec.NormScale})");
    }

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"audio.{field} {problem}", nameof(AudioSpec) + "." + field);
        }
    }

    /// <summary>One triangular mel filter, stored as its non-zero run of FFT bins.</summary>
    private readonly struct MelFilter(int firstBin, double[] weights)
    {
        public double Apply(ReadOnlySpan<double> powerSpectrum)
        {
            var sum = 0.0;
            var bins = powerSpectrum.Slice(firstBin, weights.Length);
            for (var i = 0; i < weights.Length; i++)
            {
                sum += weights[i] * bins[i];
            }

            return sum;
        }

        /// <summary>
        /// HTK mel triangles, peak 1, no area normalisation, evaluated at torchaudio's bin
        /// frequencies <c>linspace(0, sampleRate // 2, nFft/2 + 1)</c>.
        /// </summary>
        public static MelFilter[] HtkBank(int sampleRate, int nFft, int nMels, double fMin, double fMax)
        {
            var bins = (nFft / 2) + 1;
            var binHz = new double[bins];
            for (var k = 0; k < bins; k++)
            {
                binHz[k] = (double)(sampleRate / 2) * k / (bins - 1);
            }

            var melMin = HzToMel(fMin);
            var melMax = HzToMel(fMax);
            var corners = new double[nMels + 2];
            for (var i = 0; i < corners.Length; i++)
            {
                corners[i] = MelToHz(melMin + ((melMax - melMin) * i / (nMels + 1)));
            }

            var bank = new MelFilter[nMels];
            var weights = new double[bins];
            for (var m = 0; m < nMels; m++)
            {
                var (left, peak, right) = (corners[m], corners[m + 1], corners[m + 2]);
                int first = -1, last = -1;
                for (var k = 0; k < bins; k++)
                {
                    var rising = (binHz[k] - left) / (peak - left);
                    var falling = (right - binHz[k]) / (right - peak);
                    weights[k] = Math.Max(0.0, Math.Min(rising, falling));
                    if (weights[k] > 0)
                    {
                        first = first < 0 ? k : first;
                        last = k;
                    }
                }

                // A band narrower than a bin has no weights: its energy is 0 (then amin), as in torchaudio.
                bank[m] = first < 0
                    ? new MelFilter(0, [])
                    : new MelFilter(first, weights.AsSpan(first, last - first + 1).ToArray());
            }

            return bank;
        }

        private static double HzToMel(double hz) => 2595.0 * Math.Log10(1.0 + (hz / 700.0));

        private static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);
    }
}
