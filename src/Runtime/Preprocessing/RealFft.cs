using System.Numerics;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// Forward DFT of a real signal whose length is a power of two, in double precision:
/// <c>X[k] = sum_n x[n] exp(-2 pi i k n / N)</c> for k = 0..N/2 (the rest is the conjugate mirror),
/// unnormalised like numpy.fft.rfft. The N real samples are packed as N/2 complex values, put
/// through one radix-2 complex FFT of N/2 points and then split into the even/odd halves.
/// Tables and scratch are allocated once here; <see cref="Forward"/> allocates nothing.
/// Not thread-safe (shared scratch).
/// </summary>
internal sealed class RealFft
{
    private readonly int half;
    private readonly int[] bitReversed;
    private readonly Complex[] halfTwiddles;   // exp(-2 pi i j / (N/2)), j < N/4: the inner FFT
    private readonly Complex[] splitTwiddles;  // exp(-2 pi i k / N), k <= N/2: the even/odd split
    private readonly Complex[] packed;

    public RealFft(int length)
    {
        if (length < 2 || !BitOperations.IsPow2(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be a power of two >= 2");
        }

        Length = length;
        half = length / 2;
        packed = new Complex[half];

        // Each twiddle is computed directly rather than by recurrence, so no rounding drifts.
        halfTwiddles = new Complex[Math.Max(1, half / 2)];
        for (var j = 0; j < halfTwiddles.Length; j++)
        {
            halfTwiddles[j] = Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * j / half);
        }

        splitTwiddles = new Complex[half + 1];
        for (var k = 0; k <= half; k++)
        {
            splitTwiddles[k] = Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * k / length);
        }

        bitReversed = new int[half];
        var bits = BitOperations.Log2((uint)half);
        for (var i = 0; i < half; i++)
        {
            bitReversed[i] = Reverse(i, bits);
        }
    }

    /// <summary>N, the number of real input samples.</summary>
    public int Length { get; }

    /// <summary>N/2 + 1, the number of spectrum bins written by <see cref="Forward"/>.</summary>
    public int Bins => half + 1;

    public void Forward(ReadOnlySpan<double> input, Span<Complex> spectrum)
    {
        if (input.Length != Length)
        {
            throw new ArgumentException($"input has {input.Length} samples; the FFT length is {Length}", nameof(input));
        }

        if (spectrum.Length != Bins)
        {
            throw new ArgumentException($"spectrum has {spectrum.Length} bins; {Bins} are needed", nameof(spectrum));
        }

        // z[m] = x[2m] + i x[2m+1], stored in bit-reversed order for the in-place butterflies.
        for (var m = 0; m < half; m++)
        {
            packed[bitReversed[m]] = new Complex(input[2 * m], input[(2 * m) + 1]);
        }

        TransformInPlace(packed);

        // Z = E + i O where E, O are the DFTs of the even and odd samples; X[k] = E[k] + W^k O[k].
        for (var k = 0; k <= half; k++)
        {
            var zk = packed[k == half ? 0 : k];
            var zmk = Complex.Conjugate(packed[k == 0 ? 0 : half - k]);
            var even = (zk + zmk) * 0.5;
            var odd = (zk - zmk) * new Complex(0.0, -0.5);
            spectrum[k] = even + (splitTwiddles[k] * odd);
        }
    }

    private void TransformInPlace(Complex[] data)
    {
        var n = data.Length;
        for (var size = 2; size <= n; size *= 2)
        {
            var halfSize = size / 2;
            var stride = n / size;
            for (var start = 0; start < n; start += size)
            {
                for (var j = 0; j < halfSize; j++)
                {
                    var t = halfTwiddles[j * stride] * data[start + j + halfSize];
                    var u = data[start + j];
                    data[start + j] = u + t;
                    data[start + j + halfSize] = u - t;
                }
            }
        }
    }

    private static int Reverse(int value, int bits)
    {
        var result = 0;
        for (var b = 0; b < bits; b++)
        {
            result = (result << 1) | ((value >> b) & 1);
        }

        return result;
    }
}
