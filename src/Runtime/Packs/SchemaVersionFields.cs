using static EdgeEmotion.Runtime.Packs.ManifestRule;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// Which fields each schema version has. The C# model holds the union of both versions, so the
/// JSON reader accepts either; this says, with the JSON path, when a manifest mixes them: a
/// version 1 field in a version 2 manifest, a version 2 field in a version 1 one, or a field its
/// version requires that is absent.
/// </summary>
internal static class SchemaVersionFields
{
    private const string ScoreTensorsOnly =
        "'timeAxis' belongs on score tensors only: the fusion outputs, or the backbone outputs of a pack without fusion";

    public static void Check(PackManifest m)
    {
        if (m.SchemaVersion == 1)
        {
            CheckVersion1(m);
        }
        else
        {
            CheckVersion2(m);
        }
    }

    private static void CheckVersion1(PackManifest m)
    {
        Forbid(m.ClipSpacingFrames, "$.clipSpacingFrames", Version2("clipSpacingFrames", "version 1 states it as fusion.clipSpacingFrames"));
        for (var i = 0; i < m.Modalities.Count; i++)
        {
            var modality = m.Modalities[i];
            var path = $"$.modalities[{i}]";
            Forbid(modality.Streams, $"{path}.streams", Version2("streams", "a version 1 modality states one 'backbone' and its recipe"));
            var backbone = Present(modality.Backbone, $"{path}.backbone");
            ForbidTimeAxis(backbone.Inputs, $"{path}.backbone.inputs", Version2("timeAxis", "version 1 backbone tensors have none"));
            ForbidTimeAxis(backbone.Outputs, $"{path}.backbone.outputs", Version2("timeAxis", "version 1 backbone tensors have none"));
        }

        var fusion = Present(m.Fusion, "$.fusion");
        Present(fusion.ClipSpacingFrames, "$.fusion.clipSpacingFrames");
        Present(fusion.FeatureDim, "$.fusion.featureDim");
        for (var i = 0; i < fusion.Inputs.Count; i++)
        {
            var input = fusion.Inputs[i];
            Forbid(input.Stream, $"$.fusion.inputs[{i}].stream", Version2("stream", "version 1 fusion inputs name a 'modality'"));
            Present(input.Modality, $"$.fusion.inputs[{i}].modality");
        }

        ForbidTimeAxis(fusion.Outputs, "$.fusion.outputs", Version2("timeAxis", "version 1 score tensors are [1, window] or [1, window, classes]"));
    }

    private static void CheckVersion2(PackManifest m)
    {
        Present(m.ClipSpacingFrames, "$.clipSpacingFrames");
        for (var i = 0; i < m.Modalities.Count; i++)
        {
            var modality = m.Modalities[i];
            var path = $"$.modalities[{i}]";
            const string perStream = "a version 2 modality lists 'streams', each with its own backbone and recipe";
            Forbid(modality.Backbone, $"{path}.backbone", Version1("backbone", perStream));
            Forbid(modality.Video, $"{path}.video", Version1("video", perStream + " (the 'faceClip' recipe)"));
            Forbid(modality.Audio, $"{path}.audio", Version1("audio", perStream + " (the 'logmel' recipe)"));
            Forbid(modality.Eda, $"{path}.eda", Version1("eda", perStream + " (the 'eda' recipe)"));
            var streams = Present(modality.Streams, $"{path}.streams");
            Require(streams.Count > 0, $"{path}.streams", "a modality needs at least one stream");
            for (var j = 0; j < streams.Count; j++)
            {
                var stream = streams[j];
                var streamPath = $"{path}.streams[{j}]";
                ForbidTimeAxis(stream.Backbone.Inputs, $"{streamPath}.backbone.inputs", ScoreTensorsOnly);
                if (m.Fusion is not null)
                {
                    ForbidTimeAxis(stream.Backbone.Outputs, $"{streamPath}.backbone.outputs", ScoreTensorsOnly);
                }

                if (stream.Imagination is { } imagination)
                {
                    CheckStreamInputs(imagination.Inputs, $"{streamPath}.imagination.inputs", "imagination");
                    ForbidTimeAxis(imagination.Outputs, $"{streamPath}.imagination.outputs", ScoreTensorsOnly);
                }
            }
        }

        if (m.Fusion is { } fusion)
        {
            Forbid(fusion.FeatureDim, "$.fusion.featureDim", Version1("featureDim", "version 2 states featureDim per stream"));
            Forbid(fusion.ClipSpacingFrames, "$.fusion.clipSpacingFrames", Version1("clipSpacingFrames", "version 2 states it at the top level"));
            CheckStreamInputs(fusion.Inputs, "$.fusion.inputs", "fusion");
        }
    }

    private static void CheckStreamInputs(IReadOnlyList<FeatureInputSpec> inputs, string path, string what)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            Forbid(inputs[i].Modality, $"{path}[{i}].modality", Version1("modality", $"version 2 {what} inputs name a 'stream'"));
            Present(inputs[i].Stream, $"{path}[{i}].stream");
        }
    }

    private static void ForbidTimeAxis(IReadOnlyList<TensorSpec> tensors, string path, string message)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            Forbid(tensors[i].TimeAxis, $"{path}[{i}].timeAxis", message);
        }
    }

    private static string Version2(string field, string instead) =>
        $"'{field}' is a schema version 2 field; {instead} (or set schemaVersion 2)";

    private static string Version1(string field, string instead) =>
        $"'{field}' is a schema version 1 field; {instead}";
}
