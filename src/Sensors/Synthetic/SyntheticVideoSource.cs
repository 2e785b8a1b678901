using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;
using OpenCvSharp;

namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>
/// BGR frames of a real face photo drifting slowly over a plain room-like background, with
/// light sensor noise: a camera stand-in that a face detector actually finds. Frame i depends
/// only on the options and i (each frame's noise has its own seed), so dropouts never change
/// the frames around them. Every enumeration starts again at frame 0.
/// </summary>
public sealed class SyntheticVideoSource : ISampleSource<VideoFrame>
{
    private readonly SyntheticVideoOptions options;
    private readonly Mat background;
    private readonly Mat face;
    private readonly Mat faceWeight;
    private readonly Mat backgroundWeight;

    // OpenCvSharp wraps each Mat argument in a new InputArray per call; the fixed operands are
    // wrapped once, which keeps a 30 fps source from making garbage it need not make.
    private readonly InputArray faceInput;
    private readonly InputArray faceWeightInput;
    private readonly InputArray backgroundWeightInput;
    private readonly InputArray noiseMean;
    private readonly InputArray noiseDeviation;
    private bool disposed;

    /// <exception cref="FileNotFoundException">The face photo does not exist.</exception>
    /// <exception cref="InvalidDataException">The face photo cannot be decoded.</exception>
    public SyntheticVideoSource(SyntheticVideoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        face = LoadFace(options);
        faceWeight = FeatheredOval(face.Size());
        backgroundWeight = new Mat(face.Size(), MatType.CV_32FC1, Scalar.All(1));
        Cv2.Subtract(backgroundWeight, faceWeight, backgroundWeight);
        background = PaintBackground(options);
        faceInput = InputArray.Create(face);
        faceWeightInput = InputArray.Create(faceWeight);
        backgroundWeightInput = InputArray.Create(backgroundWeight);
        noiseMean = InputArray.Create(Scalar.All(0));
        noiseDeviation = InputArray.Create(Scalar.All(options.NoiseLevel));
        Description = string.Create(
            CultureInfo.InvariantCulture, $"synthetic video {options.Width}x{options.Height} at {options.FrameRate} fps (seed {options.Seed})");
    }

    public string Description { get; }

    public double FrameRate => options.FrameRate;

    public async IAsyncEnumerable<VideoFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var pacer = new Pacer(options.Pacing, options.TimeProvider);
        pacer.Start(TimeSpan.Zero);
        using var noise = new NoiseScratch(options.Width, options.Height);
        long? last = null;
        for (long index = 0; ; index++)
        {
            var timestamp = MediaTime.OfSample(index, options.FrameRate);
            if (!options.Covers(timestamp))
            {
                yield break;
            }

            var dropout = options.Dropouts.KindAt(SensorModality.Visual, timestamp);
            if (dropout == DropoutKind.Missing)
            {
                continue;
            }

            await pacer.WaitUntilAsync(timestamp, cancellationToken).ConfigureAwait(false);
            ObjectDisposedException.ThrowIf(disposed, this);
            if (dropout != DropoutKind.Frozen || last is null)
            {
                last = index;
            }

            // A frozen camera re-delivers the very same pixels: a frame depends only on its
            // index, so rendering the last index again gives them without keeping a copy.
            yield return new VideoFrame(timestamp, Render(last.Value, noise));
        }
    }

    /// <summary>Frame <paramref name="index"/> as the source renders it without dropouts; the caller owns it.</summary>
    public Mat Render(long index)
    {
        using var noise = new NoiseScratch(options.Width, options.Height);
        return Render(index, noise);
    }

    private Mat Render(long index, NoiseScratch noise)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var frame = background.Clone();
        using (var region = new Mat(frame, FaceRectangle(index / options.FrameRate)))
        {
            Cv2.BlendLinear(faceInput, region, faceWeightInput, backgroundWeightInput, region);
        }

        if (options.NoiseLevel > 0)
        {
            var rng = new RNG(FrameSeed(index));
            rng.Fill(noise.Mat, DistributionType.Normal, noiseMean, noiseDeviation);
            Cv2.Add(frame, noise.Input, frame, null, MatType.CV_8UC3.Value);
        }

        return frame;
    }

    public ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            faceInput.Dispose();
            faceWeightInput.Dispose();
            backgroundWeightInput.Dispose();
            noiseMean.Dispose();
            noiseDeviation.Dispose();
            background.Dispose();
            face.Dispose();
            faceWeight.Dispose();
            backgroundWeight.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The per-frame noise image, reused frame after frame by one enumeration (each has its own).</summary>
    private sealed class NoiseScratch(int width, int height) : IDisposable
    {
        public Mat Mat { get; } = new(height, width, MatType.CV_16SC3);

        public InputArray Input => input ??= InputArray.Create(Mat);

        private InputArray? input;

        public void Dispose()
        {
            input?.Dispose();
            Mat.Dispose();
        }
    }

    // Slow Lissajous drift (7 s across, 11 s up and down) around the frame centre.
    private Rect FaceRectangle(double seconds)
    {
        var amplitudeX = options.DriftFraction * options.Width;
        var amplitudeY = amplitudeX / 3;
        var x = ((options.Width - face.Width) / 2.0) + (amplitudeX * Math.Sin(2 * Math.PI * seconds / 7.0));
        var y = ((options.Height - face.Height) / 2.0) + (amplitudeY * Math.Sin((2 * Math.PI * seconds / 11.0) + 1.0));
        var left = Math.Clamp((int)Math.Round(x), 0, options.Width - face.Width);
        var top = Math.Clamp((int)Math.Round(y), 0, options.Height - face.Height);
        return new Rect(left, top, face.Width, face.Height);
    }

    // A distinct RNG state per frame and per source seed (OpenCV's RNG treats 0 specially).
    private ulong FrameSeed(long index)
    {
        var state = ((ulong)(uint)options.Seed << 40) ^ ((ulong)index * 0x9E3779B97F4A7C15UL);
        return state == 0 ? 0x9E3779B97F4A7C15UL : state;
    }

    private static Mat LoadFace(SyntheticVideoOptions options)
    {
        if (!File.Exists(options.FaceImagePath))
        {
            throw new FileNotFoundException(
                $"Face photo '{options.FaceImagePath}' for the synthetic video source not found (the repository has tests/media/face.jpg).",
                options.FaceImagePath);
        }

        using var photo = Cv2.ImRead(options.FaceImagePath, ImreadModes.Color);
        if (photo.Empty())
        {
            throw new InvalidDataException($"Face photo '{options.FaceImagePath}' could not be decoded as an image.");
        }

        // Scale to the requested height, then shrink further if it would not fit the width.
        var scale = options.FaceImageHeightFraction * options.Height / photo.Height;
        scale = Math.Min(scale, (double)options.Width / photo.Width);
        var size = new Size(Math.Max(1, (int)Math.Round(photo.Width * scale)), Math.Max(1, (int)Math.Round(photo.Height * scale)));
        var scaled = new Mat();
        Cv2.Resize(photo, scaled, size, 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        return scaled;
    }

    // Blend weights: 1 inside an oval covering head and shoulders, fading out at its edge, so
    // the photo's own rectangle does not show.
    private static Mat FeatheredOval(Size size)
    {
        using var mask = new Mat(size, MatType.CV_8UC1, Scalar.All(0));
        var center = new Point(size.Width / 2, size.Height / 2);
        var axes = new Size((int)(size.Width * 0.42), (int)(size.Height * 0.47));
        Cv2.Ellipse(mask, center, axes, 0, 0, 360, Scalar.All(255), -1, LineTypes.AntiAlias);
        var sigma = Math.Max(1.0, size.Width * 0.04);
        Cv2.GaussianBlur(mask, mask, new Size(0, 0), sigma);
        var weight = new Mat();
        mask.ConvertTo(weight, MatType.CV_32FC1, 1.0 / 255);
        return weight;
    }

    // A wall gradient with a few soft furniture-like blocks, laid out from the seed.
    private static Mat PaintBackground(SyntheticVideoOptions options)
    {
        var random = new Random(options.Seed);
        var top = RandomMuted(random, 150, 210);
        var bottom = RandomMuted(random, 90, 150);

        // Two rows, top and bottom colour, stretched: a linear vertical gradient.
        using var ends = new Mat(2, 1, MatType.CV_8UC3);
        ends.Set(0, 0, ToVec(top));
        ends.Set(1, 0, ToVec(bottom));
        var canvas = new Mat();
        Cv2.Resize(ends, canvas, new Size(options.Width, options.Height), 0, 0, InterpolationFlags.Linear);

        for (var i = 0; i < 4; i++)
        {
            var width = random.Next(options.Width / 8, options.Width / 3);
            var height = random.Next(options.Height / 6, options.Height / 2);
            var block = new Rect(random.Next(0, options.Width - width), random.Next(0, options.Height - height), width, height);
            Cv2.Rectangle(canvas, block, RandomMuted(random, 60, 200), -1);
        }

        Cv2.GaussianBlur(canvas, canvas, new Size(0, 0), Math.Max(1.0, options.Width / 160.0));
        return canvas;
    }

    private static Vec3b ToVec(Scalar color) => new((byte)color.Val0, (byte)color.Val1, (byte)color.Val2);

    private static Scalar RandomMuted(Random random, int low, int high)
    {
        var level = random.Next(low, high);
        return new Scalar(level + random.Next(-20, 21), level + random.Next(-20, 21), level + random.Next(-20, 21));
    }
}
