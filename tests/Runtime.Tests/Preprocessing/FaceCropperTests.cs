using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Tests;
using OpenCvSharp;

namespace EdgeEmotion.Runtime.Tests.Preprocessing;

public sealed class FaceCropperTests
{
    // Where OpenCV's default frontal cascade finds the face in tests/media/face.jpg.
    private static readonly Rect PhotoFace = new(84, 65, 143, 143);

    private static readonly int FrameLength = 3 * 112 * 112;

    [Fact]
    public void Finds_and_crops_the_face_in_a_photo()
    {
        using var cropper = new FaceCropper(TestMedia.Kinetics112);
        using var photo = LoadPhoto();
        var tensor = new float[FrameLength];

        var status = cropper.Crop(photo, tensor);

        Assert.Equal(FaceCropStatus.Detected, status);
        Assert.Equal(0, cropper.MissedFrames);
        Assert.True(IntersectionOverUnion(cropper.FaceBox!.Value, PhotoFace) > 0.6, $"face box {cropper.FaceBox} vs {PhotoFace}");
        var region = cropper.CropRegion!.Value;
        Assert.True(region.Contains(PhotoFace), $"crop {region} should hold the whole face {PhotoFace}");
        Assert.Equal(region.Width, region.Height);

        // Margin 0.25 on each side: the crop is 1.5 times the face box.
        Assert.InRange(region.Width, 1.4 * PhotoFace.Width, 1.6 * PhotoFace.Width);
        AssertNormalisedRange(tensor);
    }

    [Fact]
    public void Writes_rgb_planes_normalised_like_training()
    {
        // A uniform BGR frame is easier to check than a face: plane 0 must be red.
        var normalizer = new FrameNormalizer(TestMedia.Kinetics112);
        using var frame = new Mat(112, 112, MatType.CV_8UC3, new Scalar(10, 20, 30));
        var tensor = new float[FrameLength];

        normalizer.WritePlanar(frame, tensor, 112 * 112);

        var spec = TestMedia.Kinetics112;
        double[] rgb = [30, 20, 10];
        for (var plane = 0; plane < 3; plane++)
        {
            var expected = (float)(((rgb[plane] * spec.Scale) - spec.Mean[plane]) / spec.Std[plane]);
            Assert.All(tensor.AsSpan(plane * 112 * 112, 112 * 112).ToArray(), v => Assert.Equal(expected, v));
        }
    }

    [Fact]
    public void Black_frame_matches_the_training_normalisation()
    {
        var tensor = new float[FrameLength];

        FaceCropper.WriteBlack(TestMedia.Kinetics112, tensor);

        double[] expected = [-1.8952, -1.7822, -1.7349];
        for (var plane = 0; plane < 3; plane++)
        {
            var values = tensor.AsSpan(plane * 112 * 112, 112 * 112).ToArray();
            Assert.All(values, v => Assert.InRange(v, expected[plane] - 1e-3, expected[plane] + 1e-3));
        }
    }

    [Fact]
    public void Crop_beyond_the_frame_is_padded_with_the_same_black()
    {
        // A margin of 1 makes the crop three face widths: more than the 320-pixel photo.
        using var cropper = new FaceCropper(TestMedia.Kinetics112, new FaceCropOptions { Margin = 1.0 });
        using var photo = LoadPhoto();
        var tensor = new float[FrameLength];

        Assert.Equal(FaceCropStatus.Detected, cropper.Crop(photo, tensor));

        var region = cropper.CropRegion!.Value;
        Assert.True(region.X < 0 && region.Y < 0, $"crop {region} should start outside the frame");
        for (var plane = 0; plane < 3; plane++)
        {
            // The top-left corner lies outside the photo.
            Assert.Equal(cropper.Normalizer.BlackValue(plane), tensor[plane * 112 * 112]);
        }
    }

    [Fact]
    public void Holds_the_last_box_on_blank_frames_then_reports_no_face()
    {
        using var cropper = new FaceCropper(TestMedia.Kinetics112, new FaceCropOptions { MaxHeldFrames = 3 });
        using var photo = LoadPhoto();
        using var blank = new Mat(photo.Size(), MatType.CV_8UC3, Scalar.All(128));
        var tensor = new float[FrameLength];
        Assert.Equal(FaceCropStatus.Detected, cropper.Crop(photo, tensor));
        var heldRegion = cropper.CropRegion;

        for (var miss = 1; miss <= 3; miss++)
        {
            Assert.Equal(FaceCropStatus.HeldBox, cropper.Crop(blank, tensor));
            Assert.Equal(miss, cropper.MissedFrames);
            Assert.Equal(heldRegion, cropper.CropRegion);
        }

        // The held crop is cut from the blank frame: uniform gray, not the face.
        Assert.Equal(tensor[0], tensor[(112 * 112) - 1]);

        Array.Fill(tensor, float.NaN);
        Assert.Equal(FaceCropStatus.NoFace, cropper.Crop(blank, tensor));
        Assert.Null(cropper.CropRegion);
        Assert.Null(cropper.FaceBox);
        Assert.All(tensor, v => Assert.True(float.IsNaN(v), "NoFace must write nothing"));

        // Found again: detected afresh.
        Assert.Equal(FaceCropStatus.Detected, cropper.Crop(photo, tensor));
    }

    [Fact]
    public void Reset_forgets_the_box()
    {
        using var cropper = new FaceCropper(TestMedia.Kinetics112);
        using var photo = LoadPhoto();
        using var blank = new Mat(photo.Size(), MatType.CV_8UC3, Scalar.All(128));
        var tensor = new float[FrameLength];
        cropper.Crop(photo, tensor);

        cropper.Reset();

        Assert.Null(cropper.FaceBox);
        Assert.Equal(FaceCropStatus.NoFace, cropper.Crop(blank, tensor));
    }

    [Fact]
    public void Smoothing_moves_the_box_part_way_toward_a_moved_face()
    {
        using var cropper = new FaceCropper(TestMedia.Kinetics112, new FaceCropOptions { Smoothing = 0.5 });
        using var photo = LoadPhoto();
        using var shifted = Shift(photo, 24, 0);
        var tensor = new float[FrameLength];
        cropper.Crop(photo, tensor);
        var before = Center(cropper.FaceBox!.Value);

        cropper.Crop(shifted, tensor);

        var after = Center(cropper.FaceBox!.Value);
        Assert.InRange(after.X - before.X, 8, 16);
        Assert.InRange(Math.Abs(after.Y - before.Y), 0, 4);
    }

    [Fact]
    public void Plane_stride_writes_one_frame_of_a_clip()
    {
        const int frames = 8;
        const int plane = 112 * 112;
        using var cropper = new FaceCropper(TestMedia.Kinetics112);
        using var other = new FaceCropper(TestMedia.Kinetics112);
        using var photo = LoadPhoto();
        var chw = new float[FrameLength];
        var clip = new float[3 * frames * plane];

        cropper.Crop(photo, chw);
        other.Crop(photo, clip.AsSpan(5 * plane), frames * plane);

        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(chw.AsSpan(c * plane, plane).ToArray(), clip.AsSpan(((c * frames) + 5) * plane, plane).ToArray());
        }
    }

    [Fact]
    public void Missing_cascade_names_the_path_and_the_package()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-cascade-{Guid.NewGuid():N}.xml");

        var error = Assert.Throws<FileNotFoundException>(() => new FaceCropper(TestMedia.Kinetics112, new FaceCropOptions { CascadePath = path }));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("opencv-data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_cascade_is_rejected()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-cascade-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, "this is not a cascade");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => new FaceCropper(TestMedia.Kinetics112, new FaceCropOptions { CascadePath = path }));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(nameof(FaceCropOptions.Margin))]
    [InlineData(nameof(FaceCropOptions.Smoothing))]
    [InlineData(nameof(FaceCropOptions.MaxHeldFrames))]
    [InlineData(nameof(FaceCropOptions.MinFaceFraction))]
    [InlineData(nameof(FaceCropOptions.DetectionWidth))]
    public void Out_of_range_options_are_named(string option)
    {
        var options = option switch
        {
            nameof(FaceCropOptions.Margin) => new FaceCropOptions { Margin = -0.1 },
            nameof(FaceCropOptions.Smoothing) => new FaceCropOptions { Smoothing = 0 },
            nameof(FaceCropOptions.MaxHeldFrames) => new FaceCropOptions { MaxHeldFrames = -1 },
            nameof(FaceCropOptions.MinFaceFraction) => new FaceCropOptions { MinFaceFraction = 1.5 },
            _ => new FaceCropOptions { DetectionWidth = 8 },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FaceCropper(TestMedia.Kinetics112, options));

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Bad_frames_and_destinations_are_rejected()
    {
        using var cropper = new FaceCropper(TestMedia.Kinetics112);
        using var gray = new Mat(240, 320, MatType.CV_8UC1, Scalar.All(0));
        using var empty = new Mat();
        using var photo = LoadPhoto();

        Assert.Throws<ArgumentException>(() => cropper.Crop(gray, new float[FrameLength]));
        Assert.Throws<ArgumentException>(() => cropper.Crop(empty, new float[FrameLength]));
        var shortBuffer = Assert.Throws<ArgumentException>(() => cropper.Crop(photo, new float[FrameLength - 1]));
        Assert.Contains("37632", shortBuffer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_pixel_order_is_named()
    {
        var spec = TestMedia.Kinetics112 with { PixelOrder = "YUV" };

        var error = Assert.Throws<ArgumentException>(() => new FrameNormalizer(spec));

        Assert.Contains("YUV", error.Message, StringComparison.Ordinal);
    }

    private static Mat LoadPhoto()
    {
        var photo = Cv2.ImRead(TestMedia.FaceImage, ImreadModes.Color);
        Assert.False(photo.Empty(), $"{TestMedia.FaceImage} did not load");
        return photo;
    }

    private static Mat Shift(Mat image, int dx, int dy)
    {
        using var transform = new Mat(2, 3, MatType.CV_64FC1);
        transform.Set(0, 0, 1.0);
        transform.Set(0, 1, 0.0);
        transform.Set(0, 2, (double)dx);
        transform.Set(1, 0, 0.0);
        transform.Set(1, 1, 1.0);
        transform.Set(1, 2, (double)dy);
        var shifted = new Mat();
        Cv2.WarpAffine(image, shifted, transform, image.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
        return shifted;
    }

    private static Point2d Center(Rect r) => new(r.X + (r.Width / 2.0), r.Y + (r.Height / 2.0));

    private static double IntersectionOverUnion(Rect a, Rect b)
    {
        var inter = a.Intersect(b);
        var intersection = inter.Width > 0 && inter.Height > 0 ? (double)inter.Width * inter.Height : 0;
        return intersection / (((double)a.Width * a.Height) + ((double)b.Width * b.Height) - intersection);
    }

    private static void AssertNormalisedRange(float[] tensor)
    {
        var spec = TestMedia.Kinetics112;
        for (var plane = 0; plane < 3; plane++)
        {
            var low = (float)((0 - spec.Mean[plane]) / spec.Std[plane]);
            var high = (float)(((255 * spec.Scale) - spec.Mean[plane]) / spec.Std[plane]);
            var values = tensor.AsSpan(plane * 112 * 112, 112 * 112).ToArray();
            Assert.All(values, v => Assert.InRange(v, low, high));

            // A face, not a flat fill: the values spread over a good part of the range.
            Assert.True(values.Max() - values.Min() > 0.5 * (high - low), $"plane {plane} spans only {values.Min()}..{values.Max()}");
        }
    }
}
