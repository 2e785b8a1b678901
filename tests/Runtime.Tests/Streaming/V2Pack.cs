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
        Manifest = V2Manifest.FromVersion1(JsonNode.Parse(File.ReadAllText(copy.PathOf(ManifestReader.FileName)))!.AsObject());
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

    /// <summary>Writes the manifest (with sha256s of every file the pack now holds), loads it as a device would and opens CPU sessions on it.</summary>
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
        return PackSessions.Open(ModelPackLoader.Load(Directory), CpuSessions.Factory());
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
}
