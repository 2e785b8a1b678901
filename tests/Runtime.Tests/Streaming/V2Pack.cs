using System.Text.Json.Nodes;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Streaming;

/// <summary>
/// Manifest-version-2 packs for the pipeline's tests: a committed tiny pack copied, its manifest
/// rewritten (one stream per modality, named after it, as version 1 means), then edited by the
/// test, with tiny torch models of tiny_stream_models.py beside the committed ones.
/// </summary>
internal sealed class V2Pack : IDisposable
{
    private readonly PackCopy copy;

    private V2Pack(string packId)
    {
        copy = new PackCopy(packId);
        Manifest = ToV2(JsonNode.Parse(File.ReadAllText(copy.PathOf(ManifestReader.FileName)))!.AsObject());
    }

    public string Directory => copy.Directory;

    public JsonObject Manifest { get; }

    /// <summary>A copy of <paramref name="packId"/> with a version-2 manifest; <paramref name="withTinyModels"/> adds the generated models.</summary>
    public static async Task<V2Pack> CreateAsync(string packId, bool withTinyModels = false)
    {
        var pack = new V2Pack(packId);
        if (withTinyModels)
        {
            var (code, _, stderr) = await PythonScript.RunAsync(
                PythonScript.Repo("tests", "Runtime.Tests", "Streaming", "tiny_stream_models.py"), pack.Directory);
            Assert.True(code == 0, stderr);
        }

        return pack;
    }

    public JsonObject Modality(string name) => Manifest["modalities"]!.AsArray().Single(m => (string?)m!["name"] == name)!.AsObject();

    public JsonObject Stream(string modality, int index = 0) => Modality(modality)["streams"]![index]!.AsObject();

    /// <summary>Writes the manifest (with sha256s of every file the pack now holds) and opens CPU sessions on it.</summary>
    /// <remarks>
    /// The pack is made without <see cref="ModelPackLoader"/>: version-2 consistency checks are the
    /// manifest's area (i14-manifest); the ONNX signatures are still checked as sessions open.
    /// </remarks>
    public PackSessions Open()
    {
        var files = new JsonObject();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Directory, file).Replace('\\', '/');
            if (relative != ManifestReader.FileName)
            {
                files[relative] = ModelPackLoader.Sha256Hex(file);
            }
        }

        Manifest["files"] = files;
        var path = Path.Combine(Directory, ManifestReader.FileName);
        File.WriteAllText(path, Manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return PackSessions.Open(new ModelPack(Directory, ManifestReader.ReadFile(path)), CpuSessions.Factory());
    }

    public void Dispose() => copy.Dispose();

    /// <summary>Tensor JSON: <c>{"name", "elementType": "float32", "shape"}</c>, with a stream or time axis when given.</summary>
    public static JsonObject Tensor(string name, long[] shape, string? stream = null, int? timeAxis = null)
    {
        var tensor = new JsonObject();
        if (stream is not null)
        {
            tensor["stream"] = stream;
        }

        tensor["name"] = name;
        tensor["elementType"] = "float32";
        tensor["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]);
        if (timeAxis is { } t)
        {
            tensor["timeAxis"] = t;
        }

        return tensor;
    }

    // Version 1 -> 2 as the spec states it: streams named after their modality, the recipe's
    // parameters under the recipe's key, featureDim per stream, clipSpacingFrames at the top,
    // fusion inputs naming streams, score tensors with time axis 1.
    private static JsonObject ToV2(JsonObject m)
    {
        m["schemaVersion"] = 2;
        var fusion = m["fusion"]!.AsObject();
        var featureDim = (int)fusion["featureDim"]!;
        var spacing = (int)fusion["clipSpacingFrames"]!;
        fusion.Remove("featureDim");
        fusion.Remove("clipSpacingFrames");
        m.Insert(m.IndexOf("modalities"), "clipSpacingFrames", spacing);
        foreach (var modality in m["modalities"]!.AsArray().Select(n => n!.AsObject()))
        {
            var (key, recipe) = (string)modality["kind"]! switch
            {
                "video" => ("video", "faceClip"),
                "audio" => ("audio", "logmel"),
                _ => ("eda", "eda"),
            };
            var parameters = modality[key]!.DeepClone();
            var backbone = modality["backbone"]!.DeepClone();
            modality.Remove(key);
            modality.Remove("backbone");
            var stream = new JsonObject
            {
                ["name"] = (string)modality["name"]!,
                ["recipe"] = recipe,
                ["featureDim"] = featureDim,
                [recipe] = parameters,
                ["backbone"] = backbone,
            };
            modality.Insert(modality.IndexOf("missing"), "streams", new JsonArray(stream));
        }

        foreach (var input in fusion["inputs"]!.AsArray().Select(n => n!.AsObject()))
        {
            var name = (string)input["modality"]!;
            input.Remove("modality");
            input.Insert(0, "stream", name);
        }

        foreach (var output in fusion["outputs"]!.AsArray().Select(n => n!.AsObject()))
        {
            output["timeAxis"] = 1;
        }

        return m;
    }
}
