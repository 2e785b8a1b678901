namespace EdgeEmotion.Runtime.Packs;

/// <summary>A file a manifest names, with the JSON path that names it.</summary>
/// <param name="File">The path as written, relative to the pack folder.</param>
/// <param name="JsonPath">Where in manifest.json, e.g. <c>$.modalities[0].backbone.file</c>.</param>
public sealed record FileReference(string File, string JsonPath);

/// <summary>
/// Every file a manifest refers to: backbone, imagination and fusion ONNX files, golden inputs
/// and outputs, log-mel goldens. Reads the manifest as parsed, before
/// <see cref="ManifestConsistency"/> (absent parts are skipped), so an import can list the files
/// it must copy and hash before the manifest has a <c>files</c> map.
/// </summary>
public static class ManifestReferences
{
    /// <summary>In manifest order; a file named twice appears twice, with each path.</summary>
    public static IReadOnlyList<FileReference> Of(PackManifest manifest)
    {
        var references = new List<FileReference>();
        void Add(string? file, string path)
        {
            if (file is not null)
            {
                references.Add(new FileReference(file, path));
            }
        }

        foreach (var (modality, i) in manifest.Modalities.Select((m, i) => (m, i)))
        {
            Add(modality.Backbone?.File, $"$.modalities[{i}].backbone.file");
            foreach (var (stream, j) in (modality.Streams ?? []).Select((s, j) => (s, j)))
            {
                Add(stream.Backbone?.File, $"$.modalities[{i}].streams[{j}].backbone.file");
                Add(stream.Imagination?.File, $"$.modalities[{i}].streams[{j}].imagination.file");
            }
        }

        Add(manifest.Fusion?.File, "$.fusion.file");

        foreach (var (c, i) in manifest.Golden.Cases.Select((c, i) => (c, i)))
        {
            foreach (var (tensor, file) in c.Inputs)
            {
                Add(file, $"$.golden.cases[{i}].inputs.{tensor}");
            }

            foreach (var (tensor, file) in c.Outputs)
            {
                Add(file, $"$.golden.cases[{i}].outputs.{tensor}");
            }
        }

        foreach (var (c, i) in (manifest.Golden.Logmel ?? []).Select((c, i) => (c, i)))
        {
            Add(c.Waveform, $"$.golden.logmel[{i}].waveform");
            Add(c.Expected, $"$.golden.logmel[{i}].expected");
        }

        return references;
    }
}
