using System.Diagnostics;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using OpenCvSharp;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// Finds the largest face in each frame, follows it with a smoothed box, and writes a square
/// crop around it (with margin, black where it leaves the frame) resized to the pack's frame
/// size and normalised as in training. Stateful and not thread-safe: one per video stream.
/// </summary>
public sealed class FaceCropper : IFaceCropper
{
    private readonly FaceCropOptions options;
    private readonly CascadeClassifier cascade;

    // Scratch images reused across frames; OpenCV reallocates them only when sizes change.
    private readonly Mat gray;
    private readonly Mat small;
    private readonly Mat padded;
    private readonly Mat resized;

    // The scratch images wrapped once: OpenCvSharp would make a new InputArray per call.
    private readonly InputArray grayInput;
    private readonly InputArray smallInput;
    private readonly InputArray paddedInput;

    private TrackedBox? box;
    private Size frameSize;
    private long detectionTicks;
    private bool disposed;

    /// <exception cref="FileNotFoundException">The cascade file does not exist.</exception>
    /// <exception cref="InvalidDataException">The cascade file is not an OpenCV cascade.</exception>
    /// <exception cref="ArgumentException">The spec or the options are out of range.</exception>
    public FaceCropper(VideoSpec spec, FaceCropOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        this.options = options ?? new FaceCropOptions();
        this.options.Validate();
        Normalizer = new FrameNormalizer(spec);
        cascade = LoadCascade(this.options.CascadePath);
        gray = new Mat();
        small = new Mat();
        padded = new Mat();
        resized = new Mat();
        grayInput = InputArray.Create(gray);
        smallInput = InputArray.Create(small);
        paddedInput = InputArray.Create(padded);
    }

    /// <summary>The normalisation every write uses (also for substituted black frames).</summary>
    public FrameNormalizer Normalizer { get; }

    /// <summary>Consecutive frames without a detection (0 right after one): the age of a held box.</summary>
    public int MissedFrames { get; private set; }

    /// <summary>
    /// Time spent in the face detector since this cropper was made (the rest of <see cref="Crop(Mat, Span{float})"/>
    /// is cropping and normalising): lets the pipeline report detection as a stage of its own.
    /// </summary>
    public TimeSpan DetectionTime => Stopwatch.GetElapsedTime(0, detectionTicks);

    /// <summary>The smoothed face box in frame pixels, or null when no face is being followed.</summary>
    public Rect? FaceBox => box?.ToRect();

    /// <summary>
    /// The region the last written crop was taken from, in frame pixels; it may reach beyond
    /// the frame (those parts are black). Null after <see cref="FaceCropStatus.NoFace"/>.
    /// </summary>
    public Rect? CropRegion { get; private set; }

    /// <summary>
    /// Crops the face from <paramref name="bgr"/> (8-bit BGR) into <paramref name="destination"/>
    /// as CHW planar floats (3 x height x width). Writes nothing when the status is
    /// <see cref="FaceCropStatus.NoFace"/>.
    /// </summary>
    public FaceCropStatus Crop(Mat bgr, Span<float> destination) => Crop(bgr, destination, Normalizer.PlaneLength);

    /// <summary>The Haar cascade and a box crop: packs without a face recipe, or <c>face: {detector: haar}</c>.</summary>
    public string? CropFace(Mat bgr, Span<float> destination) => Crop(bgr, destination) == FaceCropStatus.NoFace ? MissingReasons.NoFace : null;

    /// <summary>
    /// As <see cref="Crop(Mat, Span{float})"/>, with plane p written at <c>p * planeStride</c>:
    /// pass <c>clip[(t * H * W)..]</c> and <c>T * H * W</c> to fill frame t of an NCTHW clip.
    /// </summary>
    public FaceCropStatus Crop(Mat bgr, Span<float> destination, int planeStride)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        CheckFrame(bgr);
        Normalizer.CheckDestination(destination.Length, planeStride);

        if (bgr.Size() != frameSize)
        {
            // A new resolution (a reconnected camera) makes the old box meaningless.
            Reset();
            frameSize = bgr.Size();
        }

        var detectionStart = Stopwatch.GetTimestamp();
        var largest = DetectLargest(bgr);
        detectionTicks += Stopwatch.GetTimestamp() - detectionStart;
        FaceCropStatus status;
        if (largest is { } detected)
        {
            box = box is { } previous && previous.Overlaps(detected) ? previous.MoveToward(detected, options.Smoothing) : detected;
            MissedFrames = 0;
            status = FaceCropStatus.Detected;
        }
        else
        {
            MissedFrames++;
            if (box is null || MissedFrames > options.MaxHeldFrames)
            {
                box = null;
                CropRegion = null;
                return FaceCropStatus.NoFace;
            }

            status = FaceCropStatus.HeldBox;
        }

        var region = RegionAround(box.Value);
        CropRegion = region;
        WriteCrop(bgr, region, destination, planeStride);
        return status;
    }

    /// <summary>Forgets the followed face, e.g. after the source reconnected.</summary>
    public void Reset()
    {
        box = null;
        CropRegion = null;
        MissedFrames = 0;
        frameSize = default;
    }

    /// <summary>Writes a black frame, normalised exactly as a cropped one, as CHW planar floats.</summary>
    public static void WriteBlack(VideoSpec spec, Span<float> destination)
    {
        var normalizer = new FrameNormalizer(spec);
        normalizer.WriteBlack(destination, normalizer.PlaneLength);
    }

    /// <summary>As <see cref="WriteBlack(VideoSpec, Span{float})"/> with plane p at <c>p * planeStride</c>.</summary>
    public static void WriteBlack(VideoSpec spec, Span<float> destination, int planeStride) =>
        new FrameNormalizer(spec).WriteBlack(destination, planeStride);

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        grayInput.Dispose();
        smallInput.Dispose();
        paddedInput.Dispose();
        cascade.Dispose();
        gray.Dispose();
        small.Dispose();
        padded.Dispose();
        resized.Dispose();
    }

    private TrackedBox? DetectLargest(Mat bgr)
    {
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        var search = gray;
        var searchInput = grayInput;
        if (bgr.Width > options.DetectionWidth)
        {
            var height = Math.Max(1, (int)Math.Round(bgr.Height * (double)options.DetectionWidth / bgr.Width));
            Cv2.Resize(grayInput, small, new Size(options.DetectionWidth, height), 0, 0, InterpolationFlags.Area);
            search = small;
            searchInput = smallInput;
        }

        Cv2.EqualizeHist(searchInput, search);
        var minSide = Math.Max(1, (int)Math.Round(options.MinFaceFraction * search.Height));
        var faces = cascade.DetectMultiScale(
            search, options.DetectorScaleFactor, options.DetectorMinNeighbors, HaarDetectionTypes.ScaleImage, new Size(minSide, minSide));
        if (faces.Length == 0)
        {
            return null;
        }

        var largest = faces.MaxBy(f => (long)f.Width * f.Height);
        var sx = (double)bgr.Width / search.Width;
        var sy = (double)bgr.Height / search.Height;
        return new TrackedBox(
            (largest.X + (largest.Width / 2.0)) * sx,
            (largest.Y + (largest.Height / 2.0)) * sy,
            Math.Max(largest.Width * sx, largest.Height * sy));
    }

    // The box grown by the margin on every side, shaped like the network's frame.
    private Rect RegionAround(TrackedBox face)
    {
        var height = face.Side * (1 + (2 * options.Margin));
        var width = height * Normalizer.Width / Normalizer.Height;
        return new Rect(
            (int)Math.Round(face.CenterX - (width / 2)),
            (int)Math.Round(face.CenterY - (height / 2)),
            Math.Max(1, (int)Math.Round(width)),
            Math.Max(1, (int)Math.Round(height)));
    }

    private void WriteCrop(Mat bgr, Rect region, Span<float> destination, int planeStride)
    {
        var inside = region.Intersect(new Rect(0, 0, bgr.Width, bgr.Height));
        if (inside.Width <= 0 || inside.Height <= 0)
        {
            // Unreachable while boxes come from detections inside the frame; black is the honest answer.
            Normalizer.WriteBlack(destination, planeStride);
            return;
        }

        using (var view = new Mat(bgr, inside))
        {
            Cv2.CopyMakeBorder(
                view,
                padded,
                inside.Y - region.Y,
                region.Bottom - inside.Bottom,
                inside.X - region.X,
                region.Right - inside.Right,
                BorderTypes.Constant,
                Scalar.Black);
        }

        // Area averaging when shrinking (no aliasing), bilinear when a small face is enlarged.
        var interpolation = padded.Width > Normalizer.Width ? InterpolationFlags.Area : InterpolationFlags.Linear;
        Cv2.Resize(paddedInput, resized, new Size(Normalizer.Width, Normalizer.Height), 0, 0, interpolation);
        Normalizer.WritePlanar(resized, destination, planeStride);
    }

    private static void CheckFrame(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException(
                $"Expected a non-empty 8-bit BGR image (CV_8UC3), got {bgr.Type()} of {bgr.Width}x{bgr.Height}.", nameof(bgr));
        }
    }

    private static CascadeClassifier LoadCascade(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Face detector cascade '{path}' not found. Install Debian's opencv-data package (scripts/setup.sh) "
                + "or set FaceCropOptions.CascadePath to a Haar or LBP cascade XML file.",
                path);
        }

        CascadeClassifier loaded;
        try
        {
            loaded = new CascadeClassifier(path);
        }
        catch (OpenCVException e)
        {
            throw new InvalidDataException($"Face detector cascade '{path}' is not an OpenCV cascade file: {e.Message}", e);
        }

        if (loaded.Empty())
        {
            loaded.Dispose();
            throw new InvalidDataException($"Face detector cascade '{path}' loaded no classifier; is it an OpenCV cascade XML?");
        }

        return loaded;
    }

    // A square face box in frame pixels, kept in doubles so smoothing does not round away motion.
    private readonly record struct TrackedBox(double CenterX, double CenterY, double Side)
    {
        public bool Overlaps(TrackedBox other) =>
            Math.Abs(CenterX - other.CenterX) < (Side + other.Side) / 2 && Math.Abs(CenterY - other.CenterY) < (Side + other.Side) / 2;

        // Exponential moving average toward the new detection; a box that jumped elsewhere
        // (no overlap: another face, or the patient moved) is taken as is by the caller.
        public TrackedBox MoveToward(TrackedBox target, double weight) => new(
            CenterX + (weight * (target.CenterX - CenterX)),
            CenterY + (weight * (target.CenterY - CenterY)),
            Side + (weight * (target.Side - Side)));

        public Rect ToRect() => new(
            (int)Math.Round(CenterX - (Side / 2)),
            (int)Math.Round(CenterY - (Side / 2)),
            (int)Math.Round(Side),
            (int)Math.Round(Side));
    }
}
