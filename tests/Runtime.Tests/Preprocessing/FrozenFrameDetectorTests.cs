using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Tests;
using OpenCvSharp;

namespace EdgeEmotion.Runtime.Tests.Preprocessing;

public sealed class FrozenFrameDetectorTests
{
    [Fact]
    public void Identical_frames_are_repeats_and_are_counted()
    {
        using var detector = new FrozenFrameDetector();
        using var photo = Cv2.ImRead(TestMedia.FaceImage);

        Assert.False(detector.Observe(photo));
        Assert.True(double.IsNaN(detector.LastDifference));
        for (var i = 1; i <= 5; i++)
        {
            using var copy = photo.Clone();
            Assert.True(detector.Observe(copy));
            Assert.Equal(i, detector.ConsecutiveRepeats);
            Assert.Equal(0, detector.LastDifference);
        }
    }

    [Fact]
    public void A_changed_frame_ends_the_run()
    {
        using var detector = new FrozenFrameDetector();
        using var photo = Cv2.ImRead(TestMedia.FaceImage);
        using var brighter = new Mat();
        photo.ConvertTo(brighter, MatType.CV_8UC3, 1.0, 10);
        detector.Observe(photo);
        detector.Observe(photo);

        Assert.False(detector.Observe(brighter));
        Assert.Equal(0, detector.ConsecutiveRepeats);
        Assert.InRange(detector.LastDifference, 5, 10.5);
    }

    [Fact]
    public void The_difference_is_the_mean_absdiff_of_float_thumbnails_as_OpenCV_computes_it()
    {
        using var detector = new FrozenFrameDetector();
        using var photo = Cv2.ImRead(TestMedia.FaceImage);
        using var noisy = photo.Clone();
        using (var noise = new Mat(photo.Size(), MatType.CV_16SC3))
        {
            new RNG(7).Fill(noise, DistributionType.Normal, Scalar.All(0), Scalar.All(3));
            Cv2.Add(photo, noise, noisy, null, MatType.CV_8UC3.Value);
        }

        detector.Observe(photo);
        detector.Observe(noisy);

        using var a = Thumbnail(photo);
        using var b = Thumbnail(noisy);
        using var difference = new Mat();
        Cv2.Absdiff(b, a, difference);
        var expected = Cv2.Mean(difference).Val0;
        Assert.True(expected > 0.2, $"the noise should show: {expected}");
        Assert.Equal(expected, detector.LastDifference, 9);
    }

    // The detector's thumbnail with its default width (64): gray, float, area-averaged.
    private static Mat Thumbnail(Mat bgr)
    {
        using var gray = new Mat();
        using var grayFloat = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        gray.ConvertTo(grayFloat, MatType.CV_32F);
        var thumbnail = new Mat();
        var height = Math.Max(1, (int)Math.Round(bgr.Height * 64.0 / bgr.Width));
        Cv2.Resize(grayFloat, thumbnail, new Size(64, height), 0, 0, InterpolationFlags.Area);
        return thumbnail;
    }

    [Fact]
    public void Sensor_noise_on_a_still_scene_is_not_a_repeat()
    {
        using var detector = new FrozenFrameDetector();
        using var photo = Cv2.ImRead(TestMedia.FaceImage);
        var rng = new RNG(42);
        detector.Observe(photo);

        for (var i = 0; i < 5; i++)
        {
            using var noise = new Mat(photo.Size(), MatType.CV_16SC3);
            rng.Fill(noise, DistributionType.Normal, Scalar.All(0), Scalar.All(2));
            using var noisy = new Mat();
            Cv2.Add(photo, noise, noisy, null, MatType.CV_8UC3.Value);

            Assert.False(detector.Observe(noisy), $"difference {detector.LastDifference}");
        }
    }

    [Fact]
    public void A_new_frame_size_is_not_a_repeat()
    {
        using var detector = new FrozenFrameDetector();
        using var small = new Mat(120, 160, MatType.CV_8UC3, Scalar.All(50));
        using var large = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(50));
        detector.Observe(small);

        Assert.False(detector.Observe(large));
        Assert.True(detector.Observe(large));
    }

    [Fact]
    public void Reset_forgets_the_previous_frame()
    {
        using var detector = new FrozenFrameDetector();
        using var gray = new Mat(120, 160, MatType.CV_8UC1, Scalar.All(50));
        detector.Observe(gray);
        detector.Observe(gray);

        detector.Reset();

        Assert.Equal(0, detector.ConsecutiveRepeats);
        Assert.False(detector.Observe(gray));
    }

    [Fact]
    public void Unsupported_frames_and_options_are_rejected()
    {
        using var detector = new FrozenFrameDetector();
        using var floats = new Mat(10, 10, MatType.CV_32FC1, Scalar.All(0));

        Assert.Throws<ArgumentException>(() => detector.Observe(floats));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FrozenFrameDetector(new FrozenFrameOptions { Threshold = -1 }));
        Assert.Equal(nameof(FrozenFrameOptions.Threshold), error.ParamName);
    }
}
