namespace EdgeEmotion.Runtime.Packs;

// The recipes that turn a source's data into a backbone input, as the manifest states them
// (docs/model-pack.md): face clips, log-mel, raw waveform, EDA.

public sealed record VideoSpec
{
    public required double FrameRate { get; init; }
    public required int ClipFrames { get; init; }
    public required int Dilation { get; init; }
    public required int SpanFrames { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required string PixelOrder { get; init; }
    public required double Scale { get; init; }
    public required IReadOnlyList<double> Mean { get; init; }
    public required IReadOnlyList<double> Std { get; init; }

    /// <summary>How faces are found and cropped, as in training; absent means the Haar cascade and a box crop (packs made before face recipes).</summary>
    public FaceRecipeSpec? Face { get; init; }
}

/// <summary>The face front end a pack was trained with (docs/model-pack.md "Face recipe").</summary>
public sealed record FaceRecipeSpec
{
    /// <summary><c>tinyFaceDetector</c> (face-api.js's trained detector and 68 landmarks, models/face) or <c>haar</c> (no model).</summary>
    public required string Detector { get; init; }

    /// <summary>
    /// <c>aligned</c> (five-point similarity alignment to <see cref="Template"/>), <c>landmarkBox</c>
    /// (face-api.js's box around the 68 landmarks grown by 20 %, padded square) or <c>box</c> (the
    /// detector's box). aligned and landmarkBox need the tinyFaceDetector.
    /// </summary>
    public required string Crop { get; init; }

    /// <summary>aligned only: five template points (eye centres, nose tip, mouth corners as seen in the image) in pixels of a templateSize square; absent means ArcFace's 112x112 template.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Template { get; init; }

    /// <summary>aligned only: the side of the square the template points are given in (default 112).</summary>
    public int? TemplateSize { get; init; }

    /// <summary>Extra context around the face as a fraction of the crop side (aligned and box; default 0).</summary>
    public double? Margin { get; init; }
}

public static class FaceDetectors
{
    public const string TinyFaceDetector = "tinyFaceDetector";
    public const string Haar = "haar";
}

public static class FaceCrops
{
    public const string Aligned = "aligned";
    public const string LandmarkBox = "landmarkBox";
    public const string Box = "box";
}

public sealed record AudioSpec
{
    public required int SampleRate { get; init; }
    public required int SegmentSamples { get; init; }
    public required string Padding { get; init; }
    public required int NFft { get; init; }
    public required int WinLength { get; init; }
    public required int HopLength { get; init; }
    public required string Window { get; init; }
    public required bool Center { get; init; }
    public required string PadMode { get; init; }
    public required int NMels { get; init; }
    public required double FMin { get; init; }
    public double? FMax { get; init; }
    public required string MelScale { get; init; }
    public required string MelNorm { get; init; }
    public required double Power { get; init; }
    public required double DbMultiplier { get; init; }
    public double? TopDb { get; init; }
    public required double Amin { get; init; }
    public required double NormOffset { get; init; }
    public required double NormScale { get; init; }
}

public sealed record EdaSpec
{
    public required double SampleRate { get; init; }
    public required int SegmentSamples { get; init; }
    public required double LowpassHz { get; init; }
    public required int FilterOrder { get; init; }
    public required string Unit { get; init; }
    public required double Mean { get; init; }
    public required double Std { get; init; }
    public required double ValidMin { get; init; }
    public required double ValidMax { get; init; }
}

/// <summary>The raw-waveform recipe: the segment ending with the clip, resampled from the source.</summary>
public sealed record WaveformSpec
{
    public required int SampleRate { get; init; }

    /// <summary>Samples per segment at <see cref="SampleRate"/>; the backbone input is [1, samples] or [1, 1, samples].</summary>
    public required int Samples { get; init; }

    /// <summary><c>left-zero</c>: before the stream began, zeros.</summary>
    public required string Padding { get; init; }

    /// <summary><c>none</c> (samples in [-1, 1]), <c>zscore</c> (per segment: (x - mean) / sqrt(var + 1e-7)) or <c>peak</c> (x / max|x|, silence stays 0).</summary>
    public required string Normalization { get; init; }
}
