using System.Text.RegularExpressions;
using EdgeEmotion.Runtime.Configuration;
using static EdgeEmotion.Runtime.Packs.ManifestRule;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// Checks that a parsed manifest is coherent on its own: each schema version's fields, shapes
/// agree with the recipe parameters, the fusion head takes every stream once, score tensors follow
/// a layout, names line up. Every problem is a <see cref="ModelPackException"/> at its JSON path.
/// File and ONNX checks come after this, in <see cref="ModelPackLoader"/> and when sessions open.
/// </summary>
public static partial class ManifestConsistency
{
    private static readonly string[] Tasks = ["affect", "pain", "expression"];

    public static void Check(PackManifest m)
    {
        SchemaVersionFields.Check(m);
        Require(PackId().IsMatch(m.Id), "$.id", $"'{m.Id}' is not a valid pack id (lower-case letters, digits and '-')");
        Require(PackVersion.TryParse(m.Version, out _), "$.version",
            $"'{m.Version}' is not a semantic version (MAJOR.MINOR.PATCH[-prerelease][+build], no leading zeros; semver.org)");
        Require(Tasks.Contains(m.Task), "$.task", $"'{m.Task}' is not a task this runtime serves ({string.Join(", ", Tasks)})");
        Require(m.Modalities.Count > 0, "$.modalities", "a pack needs at least one modality");
        Require(m.Outputs.Count > 0, "$.outputs", "a pack needs at least one output");
        var outputNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < m.Outputs.Count; i++)
        {
            Require(outputNames.Add(m.Outputs[i].Name), $"$.outputs[{i}].name", $"output '{m.Outputs[i].Name}' appears twice");
        }

        if (m.SchemaVersion == 1)
        {
            StreamConsistency.CheckVersion1(m);
            ScoreConsistency.CheckVersion1(m);
        }
        else
        {
            StreamConsistency.CheckVersion2(m);
            ScoreConsistency.CheckVersion2(m);
        }

        CheckFiles(m);
        CheckGolden(m);
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

        foreach (var (_, model) in Models(m))
        {
            Require(m.Files.ContainsKey(model.File), "$.files", $"model file '{model.File}' has no sha256 entry", PackErrorKind.UnlistedFile);
        }
    }

    private static void CheckGolden(PackManifest m)
    {
        var g = m.Golden;
        Require(g.Tolerance > 0, "$.golden.tolerance", "must be positive");
        Require(g.Fp16Tolerance is null or > 0, "$.golden.fp16Tolerance", "must be positive");
        var models = Models(m).ToDictionary(x => x.Name, x => x.Spec, StringComparer.Ordinal);
        var known = m.SchemaVersion == 1
            ? "is neither a modality nor 'fusion'"
            : $"is not a model of this pack ({string.Join(", ", models.Keys)}: a stream's backbone, 'fusion' or 'imagine.<stream>')";
        for (var i = 0; i < g.Cases.Count; i++)
        {
            var c = g.Cases[i];
            var path = $"$.golden.cases[{i}]";
            var spec = models.GetValueOrDefault(c.Model) ?? throw Invalid($"{path}.model", $"'{c.Model}' {known}");
            CheckTensorFiles(m, c.Inputs, spec.Inputs, $"{path}.inputs");
            CheckTensorFiles(m, c.Outputs, spec.Outputs, $"{path}.outputs");
        }

        if (m.SchemaVersion > 1 && g.Logmel is { Count: > 0 })
        {
            Require(m.Streams.Any(s => s.Recipe == StreamRecipes.LogMel), "$.golden.logmel", "the pack has no logmel stream for these log-mel cases to check");
        }

        foreach (var (c, i) in (g.Logmel ?? []).Select((c, i) => (c, i)))
        {
            Require(m.Files.ContainsKey(c.Waveform), $"$.golden.logmel[{i}].waveform", $"'{c.Waveform}' has no sha256 entry", PackErrorKind.UnlistedFile);
            Require(m.Files.ContainsKey(c.Expected), $"$.golden.logmel[{i}].expected", $"'{c.Expected}' has no sha256 entry", PackErrorKind.UnlistedFile);
        }
    }

    /// <summary>Every model of the pack by the name golden cases and sessions use: stream backbones, imagination models, fusion.</summary>
    private static IEnumerable<(string Name, ModelFileSpec Spec)> Models(PackManifest m)
    {
        foreach (var stream in m.Streams)
        {
            yield return (stream.Name, stream.Backbone);
            if (stream.Spec.Imagination is { } imagination)
            {
                yield return (PackModelNames.Imagination(stream.Name), imagination.AsModelFile());
            }
        }

        if (m.Fusion is { } fusion)
        {
            yield return (PackModelNames.Fusion, fusion.AsModelFile());
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

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex PackId();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
