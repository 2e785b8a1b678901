using System.Text.Json.Nodes;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Packs;

/// <summary>Each way a pack can be broken gets its own kind of error, naming the file or field.</summary>
public sealed class BadPackTests : IDisposable
{
    private readonly PackCopy copy = new("affect-tiny");

    public void Dispose() => copy.Dispose();

    [Fact]
    public void The_committed_tiny_packs_load()
    {
        foreach (var id in new[] { "affect-tiny", "pain-tiny" })
        {
            var pack = ModelPackLoader.Load(TestPaths.Pack(id));
            Assert.Equal(id, pack.Id);
        }
    }

    [Fact]
    public void Missing_file()
    {
        File.Delete(copy.PathOf("audio_backbone.onnx"));

        var e = LoadFails(PackErrorKind.MissingFile);

        Assert.Equal("audio_backbone.onnx", e.Location);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sha256_mismatch()
    {
        var golden = Directory.EnumerateFiles(copy.PathOf("golden"), "*.npy").Order().First();
        var bytes = File.ReadAllBytes(golden);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(golden, bytes);

        var e = LoadFails(PackErrorKind.HashMismatch);

        Assert.Equal("golden/" + Path.GetFileName(golden), e.Location);
        Assert.Contains("the manifest says", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_onnx_with_a_matching_hash_is_an_invalid_model()
    {
        var path = copy.PathOf("fusion.onnx");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Reseal("fusion.onnx");

        var e = OpenFails(PackErrorKind.InvalidModel);

        Assert.Equal("fusion.onnx", e.Location);
        Assert.Contains("cannot load", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_onnx_is_first_caught_by_its_hash()
    {
        var path = copy.PathOf("fusion.onnx");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);

        var e = LoadFails(PackErrorKind.HashMismatch);

        Assert.Equal("fusion.onnx", e.Location);
    }

    [Fact]
    public void Corrupt_onnx_is_an_invalid_model()
    {
        var garbage = new byte[4096];
        new Random(3).NextBytes(garbage);
        File.WriteAllBytes(copy.PathOf("visual_backbone.onnx"), garbage);
        Reseal("visual_backbone.onnx");

        var e = OpenFails(PackErrorKind.InvalidModel);

        Assert.Equal("visual_backbone.onnx", e.Location);
    }

    [Fact]
    public void Manifest_shape_disagreeing_with_the_onnx_model()
    {
        // A coherent manifest (96x96 frames, 96x96 input) for a model built for 112x112.
        EditManifest(m =>
        {
            var visual = m["modalities"]![0]!;
            visual["video"]!["width"] = 96;
            visual["video"]!["height"] = 96;
            visual["backbone"]!["inputs"]![0]!["shape"] = new JsonArray(1, 3, 8, 96, 96);
        });

        var e = OpenFails(PackErrorKind.ModelSignatureMismatch);

        Assert.Equal("visual_backbone.onnx", e.Location);
        Assert.Contains("input 'clip' has shape [1, 3, 8, 112, 112] in the model but [1, 3, 8, 96, 96] in the manifest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_name_disagreeing_with_the_onnx_model()
    {
        EditManifest(m =>
        {
            var audio = m["modalities"]![1]!["backbone"]!;
            audio["outputs"]![0]!["name"] = "embedding";
            foreach (var c in m["golden"]!["cases"]!.AsArray().Where(c => (string?)c!["model"] == "audio"))
            {
                var outputs = c!["outputs"]!.AsObject();
                var file = (string)outputs["feature"]!;
                outputs.Remove("feature");
                outputs["embedding"] = file;
            }
        });

        var e = OpenFails(PackErrorKind.ModelSignatureMismatch);

        Assert.Equal("audio_backbone.onnx", e.Location);
        Assert.Contains("output names are [feature] in the model but [embedding] in the manifest", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fusion", "window", "$.fusion.window")]
    [InlineData("id", null, "$.id")]
    [InlineData("files", null, "$.files")]
    public void Manifest_missing_a_required_field(string parent, string? field, string location)
    {
        EditManifest(m =>
        {
            if (field is null)
            {
                m.Remove(parent);
            }
            else
            {
                m[parent]!.AsObject().Remove(field);
            }
        });

        var e = LoadFails(PackErrorKind.MissingField);

        Assert.Equal($"manifest.json {location}", e.Location);
        Assert.Contains($"required field '{field ?? parent}' is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_field_inside_an_array_is_named_by_its_index()
    {
        EditManifest(m => m["modalities"]![1]!["backbone"]!.AsObject().Remove("inputs"));

        var e = LoadFails(PackErrorKind.MissingField);

        Assert.Equal("manifest.json $.modalities[1].backbone.inputs", e.Location);
    }

    [Fact]
    public void Manifest_that_is_not_json()
    {
        File.WriteAllText(copy.PathOf("manifest.json"), "{ \"schemaVersion\": 1, ");

        var e = LoadFails(PackErrorKind.ManifestUnreadable);

        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_manifest_at_all()
    {
        File.Delete(copy.PathOf("manifest.json"));

        var e = LoadFails(PackErrorKind.ManifestUnreadable);

        Assert.Contains("is this a model pack folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_of_the_wrong_type()
    {
        EditManifest(m => m["fusion"]!["window"] = "sixteen");

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Contains("$.fusion.window", e.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Misspelt_field_is_refused_rather_than_ignored()
    {
        EditManifest(m => m["golden"]!["fp16Tolerence"] = 0.05);

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Equal("manifest.json $.golden.fp16Tolerence", e.Location);
        Assert.Contains("unknown field 'fp16Tolerence'", e.Message, StringComparison.Ordinal);
        Assert.Contains("fp16Tolerance", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_schema_version()
    {
        EditManifest(m => m["schemaVersion"] = 3);

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Contains("schema version 3 is not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Span_that_contradicts_clip_frames_and_dilation()
    {
        EditManifest(m => m["modalities"]![0]!["video"]!["spanFrames"] = 24);

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Equal("manifest.json $.modalities[0].video.spanFrames", e.Location);
    }

    [Fact]
    public void Fusion_window_that_contradicts_the_fusion_input_shape()
    {
        EditManifest(m => m["fusion"]!["window"] = 8);

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Contains("[1, window, featureDim]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_path_that_escapes_the_pack()
    {
        EditManifest(m => m["files"]!["../../etc/passwd"] = new string('0', 64));

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Contains("relative path inside the pack", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Onnx_file_the_manifest_does_not_list()
    {
        File.Copy(copy.PathOf("fusion.onnx"), copy.PathOf("extra.onnx"));

        var e = LoadFails(PackErrorKind.UnlistedFile);

        Assert.Equal("extra.onnx", e.Location);
    }

    private ModelPackException LoadFails(PackErrorKind kind)
    {
        var e = Assert.Throws<ModelPackException>(() => ModelPackLoader.Load(copy.Directory));
        Assert.True(kind == e.Kind, $"expected {kind}, got {e.Kind}: {e.Message}");
        return e;
    }

    private ModelPackException OpenFails(PackErrorKind kind)
    {
        var pack = ModelPackLoader.Load(copy.Directory);
        var e = Assert.Throws<ModelPackException>(() => PackSessions.Open(pack, CpuSessions.Factory()).Dispose());
        Assert.True(kind == e.Kind, $"expected {kind}, got {e.Kind}: {e.Message}");
        return e;
    }

    private void EditManifest(Action<JsonObject> edit)
    {
        var path = copy.PathOf("manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }

    private void Reseal(string relative) =>
        EditManifest(m => m["files"]![relative] = ModelPackLoader.Sha256Hex(copy.PathOf(relative)));
}
