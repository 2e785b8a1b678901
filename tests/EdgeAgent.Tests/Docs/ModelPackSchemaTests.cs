using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Docs;

/// <summary>
/// docs/schemas/model-pack-manifest.schema.json, checked by Python's jsonschema: every committed
/// manifest and every version 2 test manifest fits it, and broken ones are refused by the schema
/// and by the runtime alike.
/// </summary>
public sealed class ModelPackSchemaTests(GeneratedVersion2Packs packs) : IClassFixture<GeneratedVersion2Packs>
{
    private const string Schema = "model-pack-manifest.schema.json";

    [Fact]
    public async Task Every_committed_manifest_fits_the_schema()
    {
        var manifests = CommittedManifests();

        Assert.Contains(manifests, m => m.EndsWith(Path.Combine("affect-tiny", ManifestReader.FileName), StringComparison.Ordinal));
        Assert.Empty(await ProblemsAsync(manifests.Select(File.ReadAllText)));
    }

    [Fact]
    public async Task The_version_2_test_manifests_fit_the_schema()
    {
        var manifests = new[] { "affect-tiny", "pain-tiny" }
            .Select(id => V2Manifest.FromVersion1(Read(Path.Combine(TestPaths.Pack(id), ManifestReader.FileName))).ToJsonString())
            .Concat(new[] { "two-audio", "solo-visual" }.Select(id => File.ReadAllText(Path.Combine(packs.Pack(id), ManifestReader.FileName))));

        Assert.Empty(await ProblemsAsync(manifests));
    }

    [Fact]
    public async Task A_broken_manifest_is_refused_by_the_schema_and_by_the_runtime()
    {
        var broken = Broken.Select(b => (Name: b.Key, Json: b.Value(packs).ToJsonString())).ToList();

        // One Python run for all of them: its lines say "message <index>: <path>: <problem>".
        var problems = await ProblemsAsync(broken.Select(b => b.Json));

        var acceptedBySchema = broken.Where((b, i) => !problems.Any(p => p.StartsWith($"message {i}: ", StringComparison.Ordinal))).Select(b => b.Name);
        var acceptedByRuntime = broken.Where(b => Record.Exception(() => ManifestConsistency.Check(ManifestReader.Parse(b.Json))) is not ModelPackException).Select(b => b.Name);
        Assert.Empty(acceptedBySchema);
        Assert.Empty(acceptedByRuntime);
    }

    // Each builds a manifest with one thing wrong, from a version 1 tiny pack, its version 2
    // rewrite, or a generated version 2 pack.
    private static readonly Dictionary<string, Func<GeneratedVersion2Packs, JsonObject>> Broken = new(StringComparer.Ordinal)
    {
        ["schema version 3"] = _ => V1(m => m["schemaVersion"] = 3),
        ["v1: top-level clipSpacingFrames"] = _ => V1(m => m["clipSpacingFrames"] = 32),
        ["v1: streams on a modality"] = _ => V1(m => m["modalities"]![0]!["streams"] = new JsonArray()),
        ["v1: fusion input by stream"] = _ => V1(m => m["fusion"]!["inputs"]![0]!["stream"] = "visual"),
        ["v1: timeAxis on a fusion output"] = _ => V1(m => m["fusion"]!["outputs"]![0]!["timeAxis"] = 1),
        ["v1: no fusion"] = _ => V1(m => m.Remove("fusion")),
        ["v1: no fusion featureDim"] = _ => V1(m => m["fusion"]!.AsObject().Remove("featureDim")),
        ["v1: imagine substitute"] = _ => V1(m => m["modalities"]![1]!["missing"]!["substitute"] = "imagine"),
        ["v2: backbone on a modality"] = _ => V2(m => m["modalities"]![0]!["backbone"] = Stream(m, 0, 0)["backbone"]!.DeepClone()),
        ["v2: fusion featureDim"] = _ => V2(m => m["fusion"]!["featureDim"] = 64),
        ["v2: fusion clipSpacingFrames"] = _ => V2(m => m["fusion"]!["clipSpacingFrames"] = 32),
        ["v2: fusion input by modality"] = _ => V2(m => m["fusion"]!["inputs"]![0]!["modality"] = "visual"),
        ["v2: no top-level clipSpacingFrames"] = _ => V2(m => m.Remove("clipSpacingFrames")),
        ["v2: modality without streams"] = _ => V2(m => m["modalities"]![1]!["streams"] = new JsonArray()),
        ["v2: stream name with a capital"] = _ => V2(m => Stream(m, 1, 0)["name"] = "Audio"),
        ["v2: stream named fusion"] = _ => V2(m => Stream(m, 1, 0)["name"] = "fusion"),
        ["v2: recipe of another kind"] = _ => V2(m => Stream(m, 0, 0)["recipe"] = "logmel"),
        ["v2: another recipe's parameters"] = _ => V2(m => Stream(m, 1, 0)["faceClip"] = Stream(m, 0, 0)["faceClip"]!.DeepClone()),
        ["v2: recipe without its parameters"] = _ => V2(m => Stream(m, 1, 0).Remove("logmel")),
        ["v2: featureDim missing with fusion"] = _ => V2(m => Stream(m, 0, 0).Remove("featureDim")),
        ["v2: time axis 2"] = _ => V2(m => m["fusion"]!["outputs"]![0]!["timeAxis"] = 2),
        ["v2: time axis on a backbone output with fusion"] = _ => V2(m => Stream(m, 0, 0)["backbone"]!["outputs"]![0]!["timeAxis"] = 1),
        ["v2: imagine without imagination"] = _ => V2(m => m["modalities"]![1]!["missing"]!["substitute"] = "imagine"),
        ["v2: neutral without a value"] = _ => V2(m => m["modalities"]![1]!["missing"]!.AsObject().Remove("value"), "pain-tiny"),
        ["v2: waveform normalisation"] = p => Generated(p, "two-audio", m => Stream(m, 1, 1)["waveform"]!["normalization"] = "rms"),
        ["v2: imagination with two outputs"] = p => Generated(p, "two-audio", m =>
            Stream(m, 1, 1)["imagination"]!["outputs"]!.AsArray().Add(Stream(m, 1, 1)["imagination"]!["outputs"]![0]!.DeepClone())),
        ["v2: imagination input by modality"] = p => Generated(p, "two-audio", m => Stream(m, 1, 1)["imagination"]!["inputs"]![0]!["modality"] = "visual"),
        ["v2: no fusion and two streams"] = _ => V2(m => m.Remove("fusion")),
        ["v2: no fusion and a featureDim"] = p => Generated(p, "solo-visual", m => Stream(m, 0, 0)["featureDim"] = 4),
        ["v2: file path outside the pack"] = p => Generated(p, "solo-visual", m => Stream(m, 0, 0)["backbone"]!["file"] = "../visual.onnx"),
    };

    private static JsonObject V1(Action<JsonObject> edit, string id = "affect-tiny")
    {
        var m = Read(Path.Combine(TestPaths.Pack(id), ManifestReader.FileName));
        edit(m);
        return m;
    }

    private static JsonObject V2(Action<JsonObject> edit, string id = "affect-tiny")
    {
        var m = V2Manifest.FromVersion1(Read(Path.Combine(TestPaths.Pack(id), ManifestReader.FileName)));
        edit(m);
        return m;
    }

    private static JsonObject Generated(GeneratedVersion2Packs packs, string id, Action<JsonObject> edit)
    {
        var m = Read(Path.Combine(packs.Pack(id), ManifestReader.FileName));
        edit(m);
        return m;
    }

    private static JsonObject Stream(JsonObject m, int modality, int stream) => m["modalities"]![modality]!["streams"]![stream]!.AsObject();

    private static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    /// <summary>models/packs/*/manifest.json and, when present, models/examples/**/manifest.json.</summary>
    private static List<string> CommittedManifests()
    {
        var packs = Directory.EnumerateDirectories(TestPaths.PacksDirectory)
            .Select(d => Path.Combine(d, ManifestReader.FileName)).Where(File.Exists);
        var examplesRoot = Path.Combine(TestPaths.RepoRoot, "models", "examples");
        var examples = Directory.Exists(examplesRoot)
            ? Directory.EnumerateFiles(examplesRoot, ManifestReader.FileName, SearchOption.AllDirectories)
            : [];
        return [.. packs.Concat(examples).Order(StringComparer.Ordinal)];
    }

    private static Task<IReadOnlyList<string>> ProblemsAsync(IEnumerable<string> manifests) =>
        JsonSchemaCheck.ValidateAsync(Schema, manifests.Select(json => JsonNode.Parse(json)!.ToJsonString()));
}
