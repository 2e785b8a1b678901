using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Packs;
using OpenCvSharp;

namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// The trained front end (<see cref="FaceFrontEnd"/>: face-api.js's detector, one followed face,
/// 68 landmarks, head pose) producing the crop the recipe names: <c>aligned</c> (five points onto
/// the template at the stream's width x height), <c>landmarkBox</c> (face-api's box around the
/// landmarks, padded square and resized as face-api does) or <c>box</c> (the detector's box,
/// likewise). Then the pack's normalisation. A face too small or turned away is refused with its reason.
/// </summary>
public sealed class LandmarkFaceCropper : IFaceCropper
{
    private readonly FaceModels models;
    private readonly FaceFrontEnd frontEnd;
    private readonly string crop;
    private readonly double margin;
    private readonly float[] square;
    private TimeSpan detectionTime;

    /// <param name="models">Owned: disposed with this cropper.</param>
    /// <exception cref="ArgumentException">The recipe is not one this cropper makes (the manifest check refuses those first).</exception>
    public LandmarkFaceCropper(VideoSpec spec, FaceModels models, FaceFrontEndOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(models);
        var recipe = spec.Face ?? throw new ArgumentException("the stream has no face recipe: the Haar cropper serves it");
        if (recipe.Detector != FaceDetectors.TinyFaceDetector)
        {
            throw new ArgumentException($"face recipe detector '{recipe.Detector}' is not {FaceDetectors.TinyFaceDetector}");
        }

        crop = recipe.Crop;
        margin = recipe.Margin ?? 0;
        if (crop is not (FaceCrops.Aligned or FaceCrops.LandmarkBox or FaceCrops.Box))
        {
            throw new ArgumentException($"face recipe crop '{crop}' is not aligned, landmarkBox or box");
        }

        if (crop != FaceCrops.Aligned && spec.Width != spec.Height)
        {
            throw new ArgumentException($"a {crop} crop is square; the stream is {spec.Width}x{spec.Height}");
        }

        Normalizer = new FrameNormalizer(spec);
        options ??= new FaceFrontEndOptions();
        options.Template = TemplateOf(recipe).WithOutput(spec.Width, spec.Height, crop == FaceCrops.Aligned ? margin : 0);
        frontEnd = new FaceFrontEnd(models, options);
        this.models = models;
        square = crop == FaceCrops.Aligned ? [] : new float[Normalizer.FrameLength];
    }

    public FrameNormalizer Normalizer { get; }

    public TimeSpan DetectionTime => detectionTime;

    /// <summary>The last frame through the front end (its box, landmarks, pose, reason), for reports and tests.</summary>
    public FaceFrame? LastFrame { get; private set; }

    public string? CropFace(Mat bgr, Span<float> destination)
    {
        var image = MatImage.View(bgr);
        var frame = frontEnd.Process(image);
        LastFrame = frame;
        detectionTime += TimeSpan.FromMilliseconds(frame.Timings.DetectMs + frame.Timings.LandmarkMs);
        if (!frame.Usable || frame.Face is not { } face)
        {
            return frame.Reason ?? FaceReasons.NoFace;
        }

        switch (crop)
        {
            case FaceCrops.Aligned:
                Normalizer.WritePackedRgb(face.AlignedCrop, destination, Normalizer.PlaneLength);
                break;
            case FaceCrops.LandmarkBox:
                WriteSquare(image, face.Landmarks.AlignedBox(), destination);
                break;
            default:
                WriteSquare(image, face.Track.Detection.Box.Grow(2 * margin), destination);
                break;
        }

        return null;
    }

    public void Dispose() => models.Dispose();

    // face-api's crop for its 112x112 nets (FaceCropInput), at the stream's side.
    private void WriteSquare(InterleavedImage image, FaceBox box, Span<float> destination)
    {
        FaceCropInput.Write(image, box, square, Normalizer.Width);
        Normalizer.WritePlanarRgb(square, destination, Normalizer.PlaneLength);
    }

    private static AlignmentTemplate TemplateOf(FaceRecipeSpec recipe)
    {
        if (recipe.Template is not { } points)
        {
            return AlignmentTemplate.ArcFace112;
        }

        var size = recipe.TemplateSize ?? AlignmentTemplate.ArcFace112.TemplateWidth;
        return new AlignmentTemplate([.. points.Select(p => new FacePoint(p[0], p[1]))], size, size);
    }
}
