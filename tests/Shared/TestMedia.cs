using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Tests;

/// <summary>The committed files of tests/media (made by scripts/make-test-media.sh; see its README).</summary>
internal static class TestMedia
{
    public static string Directory => Path.Combine(TestPaths.RepoRoot, "tests", "media");

    /// <summary>320x320 photo with one frontal face at about (84, 65, 143, 143).</summary>
    public static string FaceImage => Path.Combine(Directory, "face.jpg");

    /// <summary>12 s, 30 fps, 320x240, 360 frames, the face under a slow zoom and pan.</summary>
    public static string FaceVideo => Path.Combine(Directory, "face.mp4");

    /// <summary>5 s, 10 fps, 320x240, 50 frames of pedestrians far away: no detectable face.</summary>
    public static string NoFaceVideo => Path.Combine(Directory, "noface.mp4");

    /// <summary>face.mp4 cut to 40 % of its bytes; its index still says 360 frames.</summary>
    public static string TruncatedVideo => Path.Combine(Directory, "truncated.mp4");

    /// <summary>An MP4 file-type box and random bytes.</summary>
    public static string CorruptVideo => Path.Combine(Directory, "corrupt.mp4");

    /// <summary>16 s, 30 fps, 320x240, 480 frames of a real man, frontal: neutral, and "surprised" (raised brows, open mouth) now and then.</summary>
    public static string ExpressionVideo => Path.Combine(Directory, "expressions.mp4");

    public static string Speech => Path.Combine(Directory, "speech.wav");

    public static string Eda => Path.Combine(Directory, "eda.csv");

    /// <summary>The video block the committed packs share: 112x112 RGB with the Kinetics mean and std.</summary>
    public static VideoSpec Kinetics112 { get; } = new()
    {
        FrameRate = 30,
        ClipFrames = 8,
        Dilation = 4,
        SpanFrames = 32,
        Width = 112,
        Height = 112,
        PixelOrder = "RGB",
        Scale = 1.0 / 255,
        Mean = [0.43216, 0.394666, 0.37645],
        Std = [0.22803, 0.22145, 0.216989],
    };
}
