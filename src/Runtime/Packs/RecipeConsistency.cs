using static EdgeEmotion.Runtime.Packs.ManifestRule;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// Checks one input recipe's parameters and that the backbone input they prepare has the shape
/// they make. Version 1 keeps them on the modality (video, audio, eda), version 2 on each stream
/// (faceClip, logmel, waveform, eda): the caller gives both paths.
/// </summary>
internal static class RecipeConsistency
{
    /// <summary>Waveform normalisations the preprocessing implements.</summary>
    public static readonly string[] WaveformNormalizations = ["none", "zscore", "peak"];

    /// <param name="path">Path of the parameters object ($.modalities[0].video, $.modalities[0].streams[0].faceClip).</param>
    /// <param name="inputPath">Path of the backbone input's shape.</param>
    /// <param name="imageInput">Version 2: with clipFrames 1, also take one face image, [1, 3, height, width].</param>
    public static void FaceClip(VideoSpec v, string path, TensorSpec input, string inputPath, bool imageInput)
    {
        Require(v.FrameRate > 0, $"{path}.frameRate", "must be positive");
        Require(v.ClipFrames > 0 && v.Dilation > 0, path, "clipFrames and dilation must be positive");
        Require(v.SpanFrames == v.ClipFrames * v.Dilation, $"{path}.spanFrames",
            $"{v.SpanFrames} is not clipFrames x dilation = {v.ClipFrames * v.Dilation}");
        Require(v.Width > 0 && v.Height > 0, path, "width and height must be positive");
        Require(v.PixelOrder is "RGB" or "BGR", $"{path}.pixelOrder", $"'{v.PixelOrder}' is not RGB or BGR");
        Require(v.Scale > 0, $"{path}.scale", "must be positive");
        Require(v.Mean.Count == 3 && v.Std.Count == 3, path, "mean and std need one value per channel (3)");
        Require(v.Std.All(s => s > 0), $"{path}.std", "every std must be positive");
        if (v.Face is { } face)
        {
            Face(face, v, $"{path}.face");
        }

        if (imageInput && v.ClipFrames == 1)
        {
            RequireShape(input, [[1, 3, 1, v.Height, v.Width], [1, 3, v.Height, v.Width]], inputPath,
                "[1, 3, clipFrames, height, width] or, with clipFrames 1, [1, 3, height, width]");
        }
        else
        {
            RequireShape(input, [1, 3, v.ClipFrames, v.Height, v.Width], inputPath, "[1, 3, clipFrames, height, width]");
        }
    }

    /// <summary>The face recipe (docs/model-pack.md "Face recipe"): what the front ends can make, and nothing they would ignore.</summary>
    public static void Face(FaceRecipeSpec f, VideoSpec v, string path)
    {
        Require(f.Detector is FaceDetectors.TinyFaceDetector or FaceDetectors.Haar, $"{path}.detector",
            $"'{f.Detector}' is not a face detector ({FaceDetectors.TinyFaceDetector}, {FaceDetectors.Haar})");
        Require(f.Crop is FaceCrops.Aligned or FaceCrops.LandmarkBox or FaceCrops.Box, $"{path}.crop",
            $"'{f.Crop}' is not a face crop ({FaceCrops.Aligned}, {FaceCrops.LandmarkBox}, {FaceCrops.Box})");
        Require(f.Detector == FaceDetectors.TinyFaceDetector || f.Crop == FaceCrops.Box, $"{path}.crop",
            $"'{f.Crop}' needs landmarks: the {FaceDetectors.Haar} detector has none (use {FaceCrops.Box}, or detector {FaceDetectors.TinyFaceDetector})");
        Require(f.Crop == FaceCrops.Aligned || f.Detector == FaceDetectors.Haar || v.Width == v.Height, path,
            $"a {f.Crop} crop is square (padded as face-api.js pads it); width {v.Width} and height {v.Height} differ");

        if (f.Crop != FaceCrops.Aligned)
        {
            Forbid(f.Template, $"{path}.template", $"only an {FaceCrops.Aligned} crop has a template");
            Forbid(f.TemplateSize, $"{path}.templateSize", $"only an {FaceCrops.Aligned} crop has a template");
        }

        if (f.TemplateSize is { } size)
        {
            Require(size > 0, $"{path}.templateSize", $"must be positive, not {size}");
        }

        if (f.Template is { } template)
        {
            var side = f.TemplateSize ?? 112;
            Require(template.Count == 5, $"{path}.template",
                $"needs 5 points (eye centres, nose tip, mouth corners), not {template.Count}");
            for (var i = 0; i < template.Count; i++)
            {
                var point = template[i];
                Require(point.Count == 2 && point.All(c => double.IsFinite(c) && c >= 0 && c <= side), $"{path}.template[{i}]",
                    $"must be [x, y] inside the {side}x{side} template square");
            }
        }

        if (f.Margin is { } margin)
        {
            Require(f.Crop != FaceCrops.LandmarkBox, $"{path}.margin", $"a {FaceCrops.LandmarkBox} crop has face-api.js's fixed 20 % padding; drop margin");
            var max = f.Crop == FaceCrops.Aligned ? 0.5 : 2;
            Require(double.IsFinite(margin) && margin >= 0 && margin < max, $"{path}.margin",
                $"{margin} is not in [0, {max}) (a fraction of the crop side)");
        }
    }

    public static void LogMel(AudioSpec a, string path, TensorSpec input, string inputPath)
    {
        Require(a.SampleRate > 0 && a.SegmentSamples > 0, path, "sampleRate and segmentSamples must be positive");
        Require(a.NFft > 0 && a.WinLength > 0 && a.WinLength <= a.NFft, $"{path}.winLength", "must be in 1..nFft");
        Require(a.HopLength > 0, $"{path}.hopLength", "must be positive");
        Require(a.NMels > 0, $"{path}.nMels", "must be positive");
        Require(a.Window == "hann", $"{path}.window", $"'{a.Window}' is not supported (hann)");
        Require(a.MelScale == "htk", $"{path}.melScale", $"'{a.MelScale}' is not supported (htk)");
        Require(a.MelNorm == "none", $"{path}.melNorm", $"'{a.MelNorm}' is not supported (none)");
        Require(a.PadMode == "reflect", $"{path}.padMode", $"'{a.PadMode}' is not supported (reflect)");
        Require(a.Padding == "left-zero", $"{path}.padding", $"'{a.Padding}' is not supported (left-zero)");
        Require(a.Power > 0, $"{path}.power", "must be positive");
        Require(a.DbMultiplier is 10 or 20, $"{path}.dbMultiplier", "must be 10 (power) or 20 (amplitude)");
        Require(a.Amin > 0, $"{path}.amin", "must be positive");
        Require(a.NormScale != 0, $"{path}.normScale", "must not be 0");
        Require(a.FMax is null || a.FMax > a.FMin, $"{path}.fMax", "must exceed fMin");
        var frames = a.Center ? 1 + (a.SegmentSamples / a.HopLength) : 1 + ((a.SegmentSamples - a.NFft) / a.HopLength);
        RequireShape(input, [1, 1, a.NMels, frames], inputPath, "[1, 1, nMels, frames of one segment]");
    }

    public static void Waveform(WaveformSpec w, string path, TensorSpec input, string inputPath)
    {
        Require(w.SampleRate > 0, $"{path}.sampleRate", "must be positive");
        Require(w.Samples > 0, $"{path}.samples", "must be positive");
        Require(w.Padding == "left-zero", $"{path}.padding", $"'{w.Padding}' is not supported (left-zero)");
        Require(WaveformNormalizations.Contains(w.Normalization), $"{path}.normalization",
            $"'{w.Normalization}' is not a waveform normalisation ({string.Join(", ", WaveformNormalizations)})");
        RequireShape(input, [[1, w.Samples], [1, 1, w.Samples]], inputPath, "[1, samples] or [1, 1, samples]");
    }

    public static void Eda(EdaSpec e, string path, TensorSpec input, string inputPath)
    {
        Require(e.SampleRate > 0 && e.SegmentSamples > 0, path, "sampleRate and segmentSamples must be positive");
        Require(e.LowpassHz > 0 && e.LowpassHz < e.SampleRate / 2, $"{path}.lowpassHz", "must be in (0, sampleRate/2)");
        Require(e.FilterOrder is >= 1 and <= 8, $"{path}.filterOrder", "must be 1..8");
        Require(e.Unit == "microsiemens", $"{path}.unit", $"'{e.Unit}' is not supported (microsiemens)");
        Require(e.Std > 0, $"{path}.std", "must be positive");
        Require(e.ValidMin < e.ValidMax, $"{path}.validMax", "must exceed validMin");
        RequireShape(input, [1, 1, e.SegmentSamples], inputPath, "[1, 1, segmentSamples]");
    }
}
