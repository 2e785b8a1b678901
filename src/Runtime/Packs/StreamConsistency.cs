using System.Text.RegularExpressions;
using static EdgeEmotion.Runtime.Packs.ManifestRule;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// Checks the modalities and their streams: names, recipes and their backbone inputs, clip
/// features, missing-data substitutes and imagination models. Version 1 modalities are one stream
/// each, with the fusion head's single feature size.
/// </summary>
internal static partial class StreamConsistency
{
    private static readonly Dictionary<string, string[]> RecipesByKind = new(StringComparer.Ordinal)
    {
        [ModalityKinds.Video] = [StreamRecipes.FaceClip],
        [ModalityKinds.Audio] = [StreamRecipes.LogMel, StreamRecipes.Waveform],
        [ModalityKinds.Eda] = [StreamRecipes.Eda],
    };

    private static readonly Dictionary<string, string> NaturalSubstitutes = new(StringComparer.Ordinal)
    {
        [ModalityKinds.Video] = MissingSubstitutes.Black,
        [ModalityKinds.Audio] = MissingSubstitutes.Silence,
        [ModalityKinds.Eda] = MissingSubstitutes.Neutral,
    };

    /// <summary>Version 1: one backbone per modality, its clip feature [1, fusion.featureDim].</summary>
    public static void CheckVersion1(PackManifest m)
    {
        var featureDim = m.Fusion!.FeatureDim!.Value;
        Require(featureDim > 0, "$.fusion.featureDim", "must be positive");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < m.Modalities.Count; i++)
        {
            var modality = m.Modalities[i];
            var path = $"$.modalities[{i}]";
            Require(names.Add(modality.Name), $"{path}.name", $"modality '{modality.Name}' appears twice");
            CheckVersion1Modality(modality, path, featureDim);
        }
    }

    /// <summary>Version 2: streams per modality, each with its recipe, backbone, feature size and imagination model.</summary>
    public static void CheckVersion2(PackManifest m)
    {
        var streamCount = m.Modalities.Sum(x => x.Streams!.Count);
        if (m.Fusion is null && streamCount != 1)
        {
            throw Missing("$.fusion", $"a pack without a fusion head scores with its only stream's backbone, but this pack has {streamCount} streams "
                + $"({string.Join(", ", m.Modalities.SelectMany(x => x.Streams!).Select(s => s.Name))}): add the fusion head that combines them");
        }

        var modalityNames = new HashSet<string>(StringComparer.Ordinal);
        var streamNames = new HashSet<string>(StringComparer.Ordinal);
        (string Path, VideoSpec Spec)? frameClock = null;
        for (var i = 0; i < m.Modalities.Count; i++)
        {
            var modality = m.Modalities[i];
            var path = $"$.modalities[{i}]";
            Require(modalityNames.Add(modality.Name), $"{path}.name", $"modality '{modality.Name}' appears twice");
            if (!RecipesByKind.TryGetValue(modality.Kind, out var recipes))
            {
                throw Invalid($"{path}.kind", $"'{modality.Kind}' is not a modality kind (video, audio, eda)");
            }

            CheckSubstitute(m, modality, path);
            for (var j = 0; j < modality.Streams!.Count; j++)
            {
                var stream = modality.Streams[j];
                var streamPath = $"{path}.streams[{j}]";
                Require(StreamName().IsMatch(stream.Name), $"{streamPath}.name",
                    $"'{stream.Name}' is not a valid stream name (a lower-case letter, then lower-case letters, digits and '_')");
                Require(stream.Name != PackModelNames.Fusion, $"{streamPath}.name", "'fusion' names the fusion head; give the stream another name");
                Require(streamNames.Add(stream.Name), $"{streamPath}.name", $"stream '{stream.Name}' appears twice (stream names are unique across the pack)");
                Require(recipes.Contains(stream.Recipe), $"{streamPath}.recipe",
                    $"'{stream.Recipe}' is not a recipe for {KindPhrase(modality.Kind)} modality ({string.Join(", ", recipes)})");
                CheckStream(m, stream, streamPath);
                if (stream.FaceClip is { } clip)
                {
                    frameClock = CheckFrameClock(frameClock, clip, $"{streamPath}.faceClip");
                }
            }
        }

        for (var i = 0; i < m.Modalities.Count; i++)
        {
            for (var j = 0; j < m.Modalities[i].Streams!.Count; j++)
            {
                CheckImagination(m, m.Modalities[i], m.Modalities[i].Streams![j], $"$.modalities[{i}].streams[{j}]");
            }
        }
    }

    private static void CheckVersion1Modality(ModalitySpec modality, string path, int featureDim)
    {
        var backbone = modality.Backbone!;
        ModelFile(backbone, $"{path}.backbone");
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
                RecipeConsistency.FaceClip(v, $"{path}.video", input, inputPath, imageInput: false);
                Require(missing == "black", $"{path}.missing.substitute", $"'{missing}' is not a video substitute (black)");
                break;
            case ModalityKinds.Audio:
                var a = modality.Audio ?? throw Missing($"{path}.audio", "an audio modality needs its 'audio' parameters");
                RecipeConsistency.LogMel(a, $"{path}.audio", input, inputPath);
                Require(missing == "silence", $"{path}.missing.substitute", $"'{missing}' is not an audio substitute (silence)");
                break;
            case ModalityKinds.Eda:
                var e = modality.Eda ?? throw Missing($"{path}.eda", "an EDA modality needs its 'eda' parameters");
                RecipeConsistency.Eda(e, $"{path}.eda", input, inputPath);
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

    private static void CheckSubstitute(PackManifest m, ModalitySpec modality, string path)
    {
        var natural = NaturalSubstitutes[modality.Kind];
        var substitute = modality.Missing.Substitute;
        if (substitute == MissingSubstitutes.Imagine)
        {
            Require(m.Fusion is not null, $"{path}.missing.substitute",
                $"a pack without fusion has no clip features to imagine; use the {modality.Kind} substitute '{natural}'");
            return;
        }

        var allowed = m.Fusion is null ? natural : $"{natural}, {MissingSubstitutes.Imagine}";
        Require(substitute == natural, $"{path}.missing.substitute", $"'{substitute}' is not {KindPhrase(modality.Kind)} substitute ({allowed})");
        if (substitute == MissingSubstitutes.Neutral && modality.Missing.Value is null)
        {
            throw Missing($"{path}.missing.value", "the neutral EDA substitute needs a value in microsiemens");
        }
    }

    private static void CheckStream(PackManifest m, StreamSpec stream, string path)
    {
        // The recipe's parameters sit under its own name; another recipe's object is a mistake, not extra data.
        var parameters = new (string Recipe, object? Value)[]
        {
            (StreamRecipes.FaceClip, stream.FaceClip), (StreamRecipes.LogMel, stream.Logmel),
            (StreamRecipes.Waveform, stream.Waveform), (StreamRecipes.Eda, stream.Eda),
        };
        Require(parameters.Single(p => p.Recipe == stream.Recipe).Value is not null, $"{path}.{stream.Recipe}",
            $"a '{stream.Recipe}' stream needs its '{stream.Recipe}' parameters", PackErrorKind.MissingField);
        foreach (var (recipe, value) in parameters.Where(p => p.Recipe != stream.Recipe))
        {
            Forbid(value, $"{path}.{recipe}", $"a '{stream.Recipe}' stream takes its parameters under '{stream.Recipe}' only, not '{recipe}'");
        }

        var backbone = stream.Backbone;
        ModelFile(backbone, $"{path}.backbone");
        Require(backbone.Inputs.Count == 1, $"{path}.backbone.inputs", "a backbone takes exactly one input tensor");
        var input = backbone.Inputs[0];
        var inputPath = $"{path}.backbone.inputs[0].shape";
        switch (stream.Recipe)
        {
            case StreamRecipes.FaceClip:
                RecipeConsistency.FaceClip(stream.FaceClip!, $"{path}.faceClip", input, inputPath, imageInput: true);
                break;
            case StreamRecipes.LogMel:
                RecipeConsistency.LogMel(stream.Logmel!, $"{path}.logmel", input, inputPath);
                break;
            case StreamRecipes.Waveform:
                RecipeConsistency.Waveform(stream.Waveform!, $"{path}.waveform", input, inputPath);
                break;
            default:
                RecipeConsistency.Eda(stream.Eda!, $"{path}.eda", input, inputPath);
                break;
        }

        if (m.Fusion is null)
        {
            // The backbone's outputs are the scores (ScoreConsistency checks them): no feature to size or imagine.
            Forbid(stream.FeatureDim, $"{path}.featureDim", "a pack without fusion has no clip features: its backbone's outputs are the scores");
            Forbid(stream.Imagination, $"{path}.imagination", "a pack without fusion has no clip features to imagine");
            return;
        }

        var featureDim = Present(stream.FeatureDim, $"{path}.featureDim");
        Require(featureDim > 0, $"{path}.featureDim", "must be positive");
        Require(backbone.Outputs.Count == 1, $"{path}.backbone.outputs", "with fusion a backbone gives exactly one feature tensor");
        RequireShape(backbone.Outputs[0], [1, featureDim], $"{path}.backbone.outputs[0].shape", "the clip feature [1, featureDim]");
    }

    /// <summary>Every faceClip stream samples the same frames: they share the frame rate and the clip span.</summary>
    private static (string Path, VideoSpec Spec) CheckFrameClock((string Path, VideoSpec Spec)? first, VideoSpec clip, string path)
    {
        if (first is not { } clock)
        {
            return (path, clip);
        }

        Require(clip.FrameRate == clock.Spec.FrameRate, $"{path}.frameRate",
            $"{clip.FrameRate} differs from {clock.Path}.frameRate {clock.Spec.FrameRate}: all faceClip streams share the pack's frame clock");
        Require(clip.SpanFrames == clock.Spec.SpanFrames, $"{path}.spanFrames",
            $"{clip.SpanFrames} differs from {clock.Path}.spanFrames {clock.Spec.SpanFrames}: all faceClip streams share the pack's clips");
        return clock;
    }

    private static void CheckImagination(PackManifest m, ModalitySpec modality, StreamSpec stream, string path)
    {
        if (stream.Imagination is not { } imagination)
        {
            Require(modality.Missing.Substitute != MissingSubstitutes.Imagine, $"{path}.imagination",
                $"modality '{modality.Name}' substitutes 'imagine' but its stream '{stream.Name}' has no imagination model", PackErrorKind.MissingField);
            return;
        }

        path += ".imagination";
        ModelFile(imagination.AsModelFile(), path);
        Require(imagination.Inputs.Count > 0, $"{path}.inputs", "an imagination model takes at least one other stream's clip feature");
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < imagination.Inputs.Count; k++)
        {
            var input = imagination.Inputs[k];
            var source = m.Modalities.SelectMany(x => x.Streams!.Select(s => (Modality: x, Stream: s)))
                .FirstOrDefault(x => x.Stream.Name == input.Stream);
            Require(source.Stream is not null, $"{path}.inputs[{k}].stream", $"'{input.Stream}' is not a stream of this pack");
            Require(source.Modality != modality, $"{path}.inputs[{k}].stream",
                $"'{input.Stream}' is in modality '{modality.Name}' itself: an imagination model predicts a missing modality from the others");
            Require(used.Add(input.Source), $"{path}.inputs[{k}].stream", $"'{input.Stream}' feeds the imagination model twice");
            var dim = source.Stream!.FeatureDim!.Value;
            Require(input.Shape.SequenceEqual([1L, dim]), $"{path}.inputs[{k}].shape",
                $"'{input.Stream}' has featureDim {dim} but imagination input '{input.Name}' is {ShapeText(input.Shape)}; it takes [1, featureDim of '{input.Stream}'] = [1, {dim}]");
        }

        Require(imagination.Outputs.Count == 1, $"{path}.outputs", "an imagination model gives exactly one tensor: the imagined clip feature");
        RequireShape(imagination.Outputs[0], [1, stream.FeatureDim!.Value], $"{path}.outputs[0].shape", $"the imagined clip feature [1, featureDim of '{stream.Name}']");
    }

    /// <summary>"a video", "an audio", "an EDA": the kind as the messages say it.</summary>
    private static string KindPhrase(string kind) => kind switch
    {
        ModalityKinds.Video => "a video",
        ModalityKinds.Audio => "an audio",
        _ => "an EDA",
    };

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex StreamName();
}
