namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>
/// A voice stand-in, one sample at a time: syllables of 120-320 ms, each a harmonic tone with
/// a gliding pitch (90-220 Hz) and two formant-like peaks, under a smooth envelope; short
/// gaps between syllables, longer pauses between phrases; plus background noise.
/// </summary>
internal sealed class SpeechLikeSignal
{
    private const int MaxHarmonics = 20;

    private readonly double sampleRate;
    private readonly double speechLevel;
    private readonly double noiseLevel;
    private readonly Random plan;
    private readonly Random noise;
    private readonly double[] weights = new double[MaxHarmonics + 1];

    private bool voiced;
    private long position;
    private long length;
    private int syllablesLeftInPhrase;
    private double pitchStart;
    private double pitchEnd;
    private double phase;

    public SpeechLikeSignal(int seed, double sampleRate, double speechLevel, double noiseLevel)
    {
        this.sampleRate = sampleRate;
        this.speechLevel = speechLevel;
        this.noiseLevel = noiseLevel;
        plan = new Random(seed);
        noise = new Random(unchecked((seed * 7919) + 17));
    }

    public void Fill(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)Next();
        }
    }

    private double Next()
    {
        if (position >= length)
        {
            StartSegment();
        }

        var value = 0.0;
        if (voiced)
        {
            var progress = (double)position / length;
            var pitch = pitchStart + ((pitchEnd - pitchStart) * progress);
            phase += 2 * Math.PI * pitch / sampleRate;
            if (phase > 2 * Math.PI)
            {
                phase -= 2 * Math.PI;
            }

            var envelope = Math.Sin(Math.PI * progress);
            for (var k = 1; k <= MaxHarmonics && weights[k] > 0; k++)
            {
                value += weights[k] * Math.Sin(k * phase);
            }

            value *= speechLevel * envelope * envelope;
        }

        position++;
        return value + (noiseLevel * noise.NextGaussian());
    }

    private void StartSegment()
    {
        position = 0;
        if (voiced)
        {
            // After a syllable: a short gap, or a pause when the phrase is over.
            voiced = false;
            var pause = syllablesLeftInPhrase > 0 ? plan.NextDouble(0.04, 0.12) : plan.NextDouble(0.3, 0.9);
            length = Samples(pause);
            return;
        }

        if (syllablesLeftInPhrase <= 0)
        {
            syllablesLeftInPhrase = plan.Next(3, 8);
        }

        syllablesLeftInPhrase--;
        voiced = true;
        length = Samples(plan.NextDouble(0.12, 0.32));
        pitchStart = plan.NextDouble(100, 220);
        pitchEnd = Math.Clamp(pitchStart * plan.NextDouble(0.8, 1.15), 90, 240);

        // Vowel colour: harmonics near two formants are stronger; weights sum to 1 so the
        // peak never exceeds the speech level.
        var formant1 = plan.NextDouble(300, 800);
        var formant2 = plan.NextDouble(900, 2300);
        var pitch = (pitchStart + pitchEnd) / 2;
        var sum = 0.0;
        for (var k = 1; k <= MaxHarmonics; k++)
        {
            var frequency = k * pitch;
            var weight = frequency < sampleRate / 2
                ? (1.0 / k) * (1 + (4 * Bump(frequency, formant1, 150)) + (2 * Bump(frequency, formant2, 250)))
                : 0;
            weights[k] = weight;
            sum += weight;
        }

        for (var k = 1; k <= MaxHarmonics; k++)
        {
            weights[k] /= sum;
        }
    }

    private long Samples(double seconds) => Math.Max(1, (long)Math.Round(seconds * sampleRate));

    private static double Bump(double x, double center, double width)
    {
        var z = (x - center) / width;
        return Math.Exp(-z * z);
    }
}
