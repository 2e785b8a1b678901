using EdgeEmotion.Runtime.Faces;
using OpenCvSharp;

namespace EdgeEmotion.Runtime.Tests.Faces;

/// <summary>The face-api building blocks on inputs whose answers are known by hand.</summary>
public sealed class FaceFrontEndTypesTests
{
    [Fact]
    public void Iou_of_same_disjoint_and_half_overlapping_boxes()
    {
        var box = new FaceBox(10, 10, 20, 20);

        Assert.Equal(1, box.Iou(box), 12);
        Assert.Equal(0, box.Iou(new FaceBox(40, 40, 5, 5)));
        Assert.Equal(1.0 / 3, box.Iou(new FaceBox(20, 10, 20, 20)), 12);
    }

    [Fact]
    public void Clipping_keeps_the_whole_pixels_inside_the_image()
    {
        Assert.Equal(new PixelRegion(0, 3, 7, 10), new FaceBox(-2.5, 3.7, 10, 10.9).ClipToImage(320, 240));
        // Corner and size are floored apart, as face-api does: 320 - 310.2 = 9.8 gives 9 columns.
        Assert.Equal(new PixelRegion(310, 230, 9, 9), new FaceBox(310.2, 230.9, 50, 50).ClipToImage(320, 240));
        Assert.True(new FaceBox(400, 10, 20, 20).ClipToImage(320, 240).IsEmpty);
    }

    [Theory]
    [InlineData(110, 1, 1)] // even difference: one black column each side
    [InlineData(109, 1, 2)] // odd difference: the extra column goes after, as face-api pads
    public void A_narrow_face_is_padded_to_a_centred_square(int width, int before, int after)
    {
        var frame = Solid(320, 240, 200, 100, 50);
        var crop = new float[FaceCropInput.Length];

        var region = FaceCropInput.Write(Image(frame, 320, 240), new FaceBox(50, 20, width, 112), crop);

        Assert.Equal(new PixelRegion(50, 20, width, 112), region);
        var row = crop.AsSpan(60 * 112, 112).ToArray(); // red plane, one row
        Assert.All(row[..before], v => Assert.Equal(0f, v));
        Assert.All(row[before..(112 - after)], v => Assert.Equal(200f, v));
        Assert.All(row[(112 - after)..], v => Assert.Equal(0f, v));
        Assert.Equal(100f, crop[(112 * 112) + (60 * 112) + 56]); // green
        Assert.Equal(50f, crop[(2 * 112 * 112) + (60 * 112) + 56]); // blue
    }

    [Fact]
    public void A_box_outside_the_frame_gives_an_empty_crop_of_zeros()
    {
        var crop = Enumerable.Repeat(7f, FaceCropInput.Length).ToArray();

        var region = FaceCropInput.Write(Image(Solid(32, 32, 1, 2, 3), 32, 32), new FaceBox(40, 40, 10, 10), crop);

        Assert.True(region.IsEmpty);
        Assert.All(crop, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void The_detector_input_is_the_frame_padded_below_and_in_RGB_order_from_BGR()
    {
        var bgr = Solid(320, 240, 30, 20, 10); // B, G, R
        var input = new DetectorInput(320);
        var planes = new float[input.Length];

        input.Write(new InterleavedImage(bgr, 320, 240, ChannelOrder.Bgr), planes);

        Assert.Equal(10f, planes[(239 * 320) + 319]); // red plane, last frame row
        Assert.Equal(20f, planes[(320 * 320) + 5]);
        Assert.Equal(30f, planes[(2 * 320 * 320) + 5]);
        Assert.All(planes.AsSpan(240 * 320, 80 * 320).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_region_of_a_BGR_mat_is_read_through_its_row_step()
    {
        using var frame = new Mat(240, 320, MatType.CV_8UC3, new Scalar(0, 0, 0));
        using var region = frame[new Rect(100, 50, 112, 112)];
        region.SetTo(new Scalar(30, 20, 10)); // B, G, R
        var crop = new float[FaceCropInput.Length];

        FaceCropInput.Write(MatImage.View(region), new FaceBox(0, 0, 112, 112), crop);

        Assert.All(crop.AsSpan(0, 112 * 112).ToArray(), v => Assert.Equal(10f, v));
        Assert.All(crop.AsSpan(2 * 112 * 112, 112 * 112).ToArray(), v => Assert.Equal(30f, v));
        using var grey = new Mat(10, 10, MatType.CV_8UC1);
        Assert.Contains("8-bit 3-channel BGR", Assert.Throws<ArgumentException>(() => MatImage.View(grey)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_sizes_and_buffers_are_refused_with_what_was_expected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DetectorInput(100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TinyFaceDetectorDecoder(0));
        var e = Assert.Throws<ArgumentException>(() => new InterleavedImage(new byte[10], 4, 4, ChannelOrder.Rgb));
        Assert.Contains("needs 48 bytes", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new TinyFaceDetectorDecoder(320).Decode(new float[10], 320, 240));
        Assert.Contains("2500 floats", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => FaceLandmarks68.Decode(new float[10], new PixelRegion(0, 0, 10, 10), default));
        Assert.Contains("136", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_boxes_keep_the_best_and_distinct_faces_stay()
    {
        var decoder = new TinyFaceDetectorDecoder(320);
        var grid = Enumerable.Repeat(-10f, decoder.GridLength).ToArray();
        SetCell(grid, decoder, row: 4, col: 4, anchor: 1, logit: 3f);  // best
        SetCell(grid, decoder, row: 4, col: 4, anchor: 3, logit: 1f);  // same place, smaller: IoU 0.53
        SetCell(grid, decoder, row: 1, col: 8, anchor: 0, logit: 0.5f); // elsewhere

        var faces = decoder.Decode(grid, 320, 320);

        Assert.Equal(2, faces.Count);
        Assert.Equal(1 / (1 + Math.Exp(-3)), faces[0].Score, 9);
        // Centre of cell (4, 4) with tx = ty = 0 (sigmoid 0.5): (4.5 / 10) of the frame.
        Assert.Equal(144, faces[0].Box.CenterX, 9);
        Assert.Equal(6.041143 / 10 * 320, faces[0].Box.Width, 9);
        Assert.Equal(1 / (1 + Math.Exp(-0.5)), faces[1].Score, 9);
        Assert.Empty(decoder.Decode(grid, 320, 320, scoreThreshold: 0.99));
    }

    [Fact]
    public void Five_points_are_the_eye_centres_the_nose_tip_and_the_mouth_corners()
    {
        var points = Enumerable.Range(0, 68).Select(i => new FacePoint(i, 2 * i)).ToArray();

        var five = new FaceLandmarks68(points).FivePoints();

        Assert.Equal(new FacePoint(38.5, 77), five.LeftEye);
        Assert.Equal(new FacePoint(44.5, 89), five.RightEye);
        Assert.Equal(new FacePoint(30, 60), five.Nose);
        Assert.Equal(new FacePoint(48, 96), five.MouthLeft);
        Assert.Equal(new FacePoint(54, 108), five.MouthRight);
    }

    [Fact]
    public void The_expression_box_is_the_landmarks_box_grown_by_a_fifth()
    {
        var points = Enumerable.Range(0, 68).Select(i => new FacePoint(100 + (i % 2 * 50), 80 + (i % 3 * 30))).ToArray();

        Assert.Equal(new FaceBox(95, 74, 60, 72), new FaceLandmarks68(points).AlignedBox());
    }

    private static void SetCell(float[] grid, TinyFaceDetectorDecoder decoder, int row, int col, int anchor, float logit)
    {
        var at = ((((row * decoder.Cells) + col) * 5) + anchor) * 5;
        grid[at] = grid[at + 1] = grid[at + 2] = grid[at + 3] = 0;
        grid[at + 4] = logit;
    }

    private static byte[] Solid(int width, int height, byte a, byte b, byte c)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (a, b, c);
        }

        return pixels;
    }

    private static InterleavedImage Image(byte[] rgb, int width, int height) => new(rgb, width, height, ChannelOrder.Rgb);
}
