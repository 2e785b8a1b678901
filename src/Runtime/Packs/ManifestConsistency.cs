using System.Text.RegularExpressions;
using EdgeEmotion.Runtime.Configuration;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// Checks that a parsed manifest is coherent on its own: shapes agree with the recipe
/// parameters, the fusion head takes every modality once, names line up. File and ONNX checks
/// come after this, in <see cref="ModelPackLoader"/>.
/// </summary>
public static partial class ManifestConsistency
{
    private static readonly string[] Tasks = ["affect", "pain"];
    private static readonly string[] SupportedElementTypes = ["float32"];

    public static void Check(PackManifest m)
    {
        Require(PackId().IsMatch(m.Id), "$.id", $"'{m.Id}' is not a valid pack id (lower-case letters, digits and '-')");
        Require(PackVersion.TryParse(m.Version, out _), "$.version",
            $"'{m.Version}' is not a semantic version (MAJOR.MINOR.PATCH[-prerelease][+build], no leading zeros; semver.org)");
        Require(Tasks.Contains(m.Task), "$.task", $"'{m.Task}' is not a task this runtime serves ({string.Join(", ", Tasks)})");
        Require(m.Modalities.Count > 0, "$.modalities", "a pack needs at least one modality");
        Require(m.Outputs.Count > 0, "$.outputs", "a pack needs at least one output");

        var featureDim = m.Fusion!.FeatureDim ?? 0;
        Require(featureDim > 0, "$.fusion.featureDim", "must be positive");

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < m.Modalities.Count; i++)
        {
            var modality = m.Modalities[i];
            var path = $"$.modalities[{i}]";
            Require(names.Add(modality.Name), $"{path}.name", $"modality '{modality.Name}' appears twice");
            CheckModality(modality, path, featureDim);
        }

        CheckFusion(m, names);
        CheckOutputs(m);
        CheckFiles(m);
        CheckGolden(m);
    }

    private static void CheckModality(ModalitySpec modality, string path, int featureDim)
    {
        var backbone = modality.Backbone!;
        CheckModelFile(backbone, $"{path}.backbone");
        Require(backbone.Inputs.Count == 1, $"{path}.backbone.inputs", "a backbone takes exactly one input tensor");
        Require(backbone.Outputs.Count == 1, $"{path}.backbone.outputs", "a backbone gives exactly one feature tensor");
        RequireShape(backbone.Outputs[0], [1, featureDim], $"{path}.backbone.outputs[0].shape", "the clip feature [1, fusion.featureDim]");

        var input = backbone.Inputs[0];
        var inputPath = $"{path}.backbone.inputs[0].shape";
        var missing = modality.Missing.Substitute;
        switch (modality.Kind)
        {
            case ModalityKinds.Video:
                var v = modality.Video ?? throw Missing($"{path}.video", "a video modality needs its 'video' parameters");
                Require(v.FrameRate > 0, $"{path}.video.frameRate", "must be positive");
                Require(v.ClipFrames > 0 && v.Dilation > 0, $"{path}.video", "clipFrames and dilation must be positive");
                Require(v.SpanFrames == v.ClipFrames * v.Dilation, $"{path}.video.spanFrames",
                    $"{v.SpanFrames} is not clipFrames x dilation = {v.ClipFrames * v.Dilation}");
                Require(v.Width > 0 && v.Height > 0, $"{path}.video", "width and height must be positive");
                Require(v.PixelOrder is "RGB" or "BGR", $"{path}.video.pixelOrder", $"'{v.PixelOrder}' is not RGB or BGR");
                Require(v.Scale > 0, $"{path}.video.scale", "must be positive");
                Require(v.Mean.Count == 3 && v.Std.Count == 3, $"{path}.video", "mean and std need one value per channel (3)");
                Require(v.Std.All(s => s > 0), $"{path}.video.std", "every std must be positive");
                RequireShape(input, [1, 3, v.ClipFrames, v.Height, v.Width], inputPath, "[1, 3, clipFrames, height, width]");
                Require(missing == "black", $"{path}.missing.substitute", $"'{missing}' is not a video substitute (black)");
                break;
            case ModalityKinds.Audio:
                var a = modality.Audio ?? throw Missing($"{path}.audio", "an audio modality needs its 'audio' parameters");
                Require(a.SampleRate > 0 && a.SegmentSamples > 0, $"{path}.audio", "sampleRate and segmentSamples must be positive");
                Require(a.NFft > 0 && a.WinLength > 0 && a.WinLength <= a.NFft, $"{path}.audio.winLength", "must be in 1..nFft");
                Require(a.HopLength > 0, $"{path}.audio.hopLength", "must be positive");
                Require(a.NMels > 0, $"{path}.audio.nMels", "must be positive");
                Require(a.Window == "hann", $"{path}.audio.window", $"'{a.Window}' is not supported (hann)");
                Require(a.MelScale == "htk", $"{path}.audio.melScale", $"'{a.MelScale}' is not supported (htk)");
                Require(a.MelNorm == "none", $"{path}.audio.melNorm", $"'{a.MelNorm}' is not supported (none)");
                Require(a.PadMode == "reflect", $"{path}.audio.padMode", $"'{a.PadMode}' is not supported (reflect)");
                Require(a.Padding == "left-zero", $"{path}.audio.padding", $"'{a.Padding}' is not supported (left-zero)");
                Require(a.Power > 0, $"{path}.audio.power", "must be positive");
                Require(a.DbMultiplier is 10 or 20, $"{path}.audio.dbMultiplier", "must be 10 (power) or 20 (amplitude)");
                Require(a.Amin > 0, $"{path}.audio.amin", "must be positive");
                Require(a.NormScale != 0, $"{path}.audio.normScale", "must not be 0");
                Require(a.FMax is null || a.FMax > a.FMin, $"{path}.audio.fMax", "must exceed fMin");
                var frames = a.Center ? 1 + (a.SegmentSamples / a.HopLength) : 1 + ((a.SegmentSamples - a.NFft) / a.HopLength);
                RequireShape(input, [1, 1, a.NMels, frames], inputPath, "[1, 1, nMels, frames of one segment]");
                Require(missing == "silence", $"{path}.missing.substitute", $"'{missing}' is not an audio substitute (silence)");
                break;
            case ModalityKinds.Eda:
                var e = modality.Eda ?? throw Missing($"{path}.eda", "an EDA modality needs its 'eda' parameters");
                Require(e.SampleRate > 0 && e.SegmentSamples > 0, $"{path}.eda", "sampleRate and segmentSamples must be positive");
                Require(e.LowpassHz > 0 && e.LowpassHz < e.SampleRate / 2, $"{path}.eda.lowpassHz", "must be in (0, sampleRate/2)");
                Require(e.FilterOrder is >= 1 and <= 8, $"{path}.eda.filterOrder", "must be 1..8");
                Require(e.Unit == "microsiemens", $"{path}.eda.unit", $"'{e.Unit}' is not supported (microsiemens)");
                Require(e.Std > 0, $"{path}.eda.std", "must be positive");
                Require(e.ValidMin < e.ValidMax, $"{path}.eda.validMax", "must exceed validMin");
                RequireShape(input, [1, 1, e.SegmentSamples], inputPath, "[1, 1, segmentSamples]");
                Require(missing == "neutral", $"{path}.missing.substitute", $"'{missing}' is not an EDA substitute (neutral)");
                if (modality.Missing.Value is null)
                {
                    throw Missing($"{path}.missing.value", "the neutral EDA substitute needs a value in microsiemens");
                }

                break;
            default:
                throw Invalid($"{path}.kind", $"'{modality.Kind}' is not a modality kind (video, audio, eda)");
        }
    }

    private static void CheckFusion(PackManifest m, HashSet<string> modalityNames)
    {
        var f = m.Fusion!;
        CheckModelFile(f.AsModelFile(), "$.fusion");
        Require(f.Window > 0, "$.fusion.window", "must be positive");
        Require(f.ClipSpacingFrames > 0, "$.fusion.clipSpacingFrames", "must be positive");
        Require(f.Inputs.Count == m.Modalities.Count, "$.fusion.inputs",
            $"the fusion head takes {f.Inputs.Count} inputs but the pack has {m.Modalities.Count} modalities");
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < f.Inputs.Count; i++)
        {
            var input = f.Inputs[i];
            Require(modalityNames.Contains(input.Source), $"$.fusion.inputs[{i}].modality", $"'{input.Modality}' is not a modality of this pack");
            Require(used.Add(input.Source), $"$.fusion.inputs[{i}].modality", $"'{input.Modality}' feeds the fusion head twice");
            RequireShape(input.AsTensor(), [1, f.Window, f.FeatureDim ?? 0], $"$.fusion.inputs[{i}].shape", "[1, window, featureDim]");
        }

        var outputNames = m.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var fusionNames = f.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        Require(outputNames.SetEquals(fusionNames), "$.fusion.outputs",
            $"fusion outputs ({string.Join(", ", fusionNames)}) differ from the pack's outputs ({string.Join(", ", outputNames)})");
    }

    private static void CheckOutputs(PackManifest m)
    {
        for (var i = 0; i < m.Outputs.Count; i++)
        {
            var o = m.Outputs[i];
            var path = $"$.outputs[{i}]";
            var tensor = m.Fusion!.Outputs.First(t => t.Name == o.Name);
            switch (o.Kind)
            {
                case OutputKinds.Regression:
                case OutputKinds.Probability:
                    if (o.Min is null || o.Max is null)
                    {
                        throw Missing($"{path}.min", $"output '{o.Name}' needs min and max");
                    }

                    Require(o.Min < o.Max, $"{path}.max", "must exceed min");
                    RequireShape(tensor, [1, m.Fusion!.Window], "$.fusion.outputs", $"'{o.Name}' as [1, window]");
                    break;
                case OutputKinds.ClassLogits:
                    if (o.Classes is not { Count: > 1 })
                    {
                        throw Missing($"{path}.classes", $"output '{o.Name}' needs at least two class labels");
                    }

                    RequireShape(tensor, [1, m.Fusion!.Window, o.Classes.Count], "$.fusion.outputs", $"'{o.Name}' as [1, window, classes]");
                    break;
                default:
                    throw Invalid($"{path}.kind", $"'{o.Kind}' is not an output kind (regression, probability, classLogits)");
            }
        }
    }

    private static void CheckFiles(PackManifest m)
    {
        foreach (var (path, hash) in m.Files)
        {
            if (PackPaths.Problem(path) is { } problem)
            {
                throw Invalid("$.files", $"'{PrintableText.Escape(path)}' must be a relative path inside the pack: it {problem}");
            }

            Require(Sha256Hex().IsMatch(hash), $"$.files['{path}']", $"'{hash}' is not a lower-case hex sha256");
        }

        foreach (var model in m.Modalities.Select(x => x.Backbone!.File).Append(m.Fusion!.File))
        {
            Require(m.Files.ContainsKey(model), "$.files", $"model file '{model}' has no sha256 entry", PackErrorKind.UnlistedFile);
        }
    }

    private static void CheckGolden(PackManifest m)
    {
        var g = m.Golden;
        Require(g.Tolerance > 0, "$.golden.tolerance", "must be positive");
        Require(g.Fp16Tolerance is null or > 0, "$.golden.fp16Tolerance", "must be positive");
        for (var i = 0; i < g.Cases.Count; i++)
        {
            var c = g.Cases[i];
            var path = $"$.golden.cases[{i}]";
            ModelFileSpec spec = c.Model == "fusion"
                ? m.Fusion!.AsModelFile()
                : m.FindModality(c.Model)?.Backbone ?? throw Invalid($"{path}.model", $"'{c.Model}' is neither a modality nor 'fusion'");
            CheckTensorFiles(m, c.Inputs, spec.Inputs, $"{path}.inputs");
            CheckTensorFiles(m, c.Outputs, spec.Outputs, $"{path}.outputs");
        }

        foreach (var (c, i) in (g.Logmel ?? []).Select((c, i) => (c, i)))
        {
            Require(m.Files.ContainsKey(c.Waveform), $"$.golden.logmel[{i}].waveform", $"'{c.Waveform}' has no sha256 entry", PackErrorKind.UnlistedFile);
            Require(m.Files.ContainsKey(c.Expected), $"$.golden.logmel[{i}].expected", $"'{c.Expected}' has no sha256 entry", PackErrorKind.UnlistedFile);
        }
    }

    private static void CheckTensorFiles(PackManifest m, IReadOnlyDictionary<string, string> files, IReadOnlyList<TensorSpec> tensors, string path)
    {
        Require(files.Count == tensors.Count && tensors.All(t => files.ContainsKey(t.Name)), path,
            $"needs exactly the tensors {string.Join(", ", tensors.Select(t => t.Name))}");
        foreach (var file in files.Values)
        {
            Require(m.Files.ContainsKey(file), path, $"'{file}' has no sha256 entry", PackErrorKind.UnlistedFile);
        }
    }

    private static void CheckModelFile(ModelFileSpec spec, string path)
    {
        Require(PackPaths.Problem(spec.File) is null, $"{path}.file", $"'{PrintableText.Escape(spec.File)}' must be a relative path inside the pack: it {PackPaths.Problem(spec.File)}");
        foreach (var (t, i) in spec.Inputs.Select((t, i) => (t, i)).Concat(spec.Outputs.Select((t, i) => (t, i + spec.Inputs.Count))))
        {
            Require(SupportedElementTypes.Contains(t.ElementType), $"{path} tensor '{t.Name}'", $"element type '{t.ElementType}' is not supported (float32)");
            Require(t.Shape.Count > 0 && t.Shape.All(d => d > 0), $"{path} tensor '{t.Name}'", $"shape {t.ShapeText} must be fixed and positive");
        }
    }

    private static void RequireShape(TensorSpec tensor, long[] expected, string path, string what)
    {
        Require(tensor.Shape.SequenceEqual(expected), path,
            $"tensor '{tensor.Name}' has shape {tensor.ShapeText}; the parameters make it {what} = [{string.Join(", ", expected)}]");
    }

    private static void Require(bool condition, string path, string message, PackErrorKind kind = PackErrorKind.InvalidValue)
    {
        if (!condition)
        {
            throw new ModelPackException(kind, $"{ManifestReader.FileName} {path}", message);
        }
    }

    private static ModelPackException Invalid(string path, string message) =>
        new(PackErrorKind.InvalidValue, $"{ManifestReader.FileName} {path}", message);

    private static ModelPackException Missing(string path, string message) =>
        new(PackErrorKind.MissingField, $"{ManifestReader.FileName} {path}", message);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex PackId();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
