namespace EdgeEmotion.Runtime.Packs;

/// <summary>Where a pack's models sit in manifest.json, for errors found outside the manifest (e.g. in an ONNX file).</summary>
public static class ManifestPaths
{
    /// <summary>
    /// The JSON path of a model by its session name (<see cref="PackModelNames"/>):
    /// <c>$.fusion</c>, <c>$.modalities[i].backbone</c> (version 1),
    /// <c>$.modalities[i].streams[j].backbone</c> or <c>.imagination</c>; null for a name the pack lacks.
    /// </summary>
    public static string? Model(PackManifest m, string model)
    {
        if (model == PackModelNames.Fusion)
        {
            return m.Fusion is null ? null : "$.fusion";
        }

        var imagined = model.StartsWith(PackModelNames.Imagination(""), StringComparison.Ordinal);
        var stream = imagined ? model[PackModelNames.Imagination("").Length..] : model;
        for (var i = 0; i < m.Modalities.Count; i++)
        {
            var modality = m.Modalities[i];
            if (modality.Streams is null)
            {
                if (!imagined && modality.Name == stream)
                {
                    return $"$.modalities[{i}].backbone";
                }

                continue;
            }

            for (var j = 0; j < modality.Streams.Count; j++)
            {
                if (modality.Streams[j].Name == stream && (!imagined || modality.Streams[j].Imagination is not null))
                {
                    return $"$.modalities[{i}].streams[{j}].{(imagined ? "imagination" : "backbone")}";
                }
            }
        }

        return null;
    }
}
