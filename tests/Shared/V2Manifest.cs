using System.Text.Json.Nodes;

namespace EdgeEmotion.Tests;

/// <summary>
/// Writes a version-1 manifest as the equivalent version 2 one: each modality one stream of the
/// same name (its recipe object moved under the recipe's key, featureDim from the fusion head),
/// clipSpacingFrames at the top level, fusion inputs naming streams, score tensors with time on
/// axis 1. The pack's ONNX files and goldens stay as they are.
/// </summary>
internal static class V2Manifest
{
    public static JsonObject FromVersion1(JsonObject v1)
    {
        var m = v1.DeepClone().AsObject();
        var fusion = m["fusion"]!.AsObject();
        var featureDim = fusion["featureDim"]!.GetValue<int>();
        var spacing = fusion["clipSpacingFrames"]!.GetValue<int>();
        fusion.Remove("featureDim");
        fusion.Remove("clipSpacingFrames");

        var rebuilt = new JsonObject();
        foreach (var (key, value) in m)
        {
            rebuilt[key] = value?.DeepClone();
            if (key == "source")
            {
                rebuilt["clipSpacingFrames"] = spacing;
            }
        }

        rebuilt["schemaVersion"] = 2;
        foreach (var modality in rebuilt["modalities"]!.AsArray().Select(x => x!.AsObject()))
        {
            var (v1Key, recipe) = (string)modality["kind"]! switch
            {
                "video" => ("video", "faceClip"),
                "audio" => ("audio", "logmel"),
                _ => ("eda", "eda"),
            };
            var stream = new JsonObject
            {
                ["name"] = (string)modality["name"]!,
                ["recipe"] = recipe,
                ["featureDim"] = featureDim,
                [recipe] = modality[v1Key]!.DeepClone(),
                ["backbone"] = modality["backbone"]!.DeepClone(),
            };
            modality.Remove(v1Key);
            modality.Remove("backbone");
            var missing = modality["missing"]!.DeepClone();
            modality.Remove("missing");
            modality["streams"] = new JsonArray(stream);
            modality["missing"] = missing;
        }

        var rebuiltFusion = rebuilt["fusion"]!.AsObject();
        foreach (var input in rebuiltFusion["inputs"]!.AsArray().Select(x => x!.AsObject()))
        {
            var name = (string)input["modality"]!;
            input.Remove("modality");
            var reordered = new JsonObject { ["stream"] = name };
            foreach (var (key, value) in input.ToList())
            {
                input.Remove(key);
                reordered[key] = value;
            }

            foreach (var (key, value) in reordered.ToList())
            {
                reordered.Remove(key);
                input[key] = value;
            }
        }

        foreach (var output in rebuiltFusion["outputs"]!.AsArray().Select(x => x!.AsObject()))
        {
            output["timeAxis"] = 1;
        }

        return rebuilt;
    }

    /// <summary>Rewrites a pack copy's manifest.json as version 2, then applies <paramref name="edit"/>.</summary>
    public static void Rewrite(PackCopy copy, Action<JsonObject>? edit = null)
    {
        var path = copy.PathOf("manifest.json");
        var manifest = FromVersion1(JsonNode.Parse(File.ReadAllText(path))!.AsObject());
        edit?.Invoke(manifest);
        File.WriteAllText(path, manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}
