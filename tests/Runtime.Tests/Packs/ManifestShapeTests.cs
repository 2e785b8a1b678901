using System.Text.Json.Nodes;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Packs;

/// <summary>
/// A manifest that is valid JSON of the wrong shape, anywhere in the document, is a named
/// <see cref="ModelPackException"/> with its JSON path; never another exception.
/// </summary>
public sealed class ManifestShapeTests : IDisposable
{
    private readonly PackCopy copy = new("affect-tiny");

    public void Dispose() => copy.Dispose();

    [Theory]
    [InlineData("42", "a number")]
    [InlineData("[]", "an array")]
    [InlineData("\"x\"", "a string")]
    [InlineData("null", "null")]
    [InlineData("true", "a boolean")]
    public void A_document_that_is_not_an_object_is_named_at_its_root(string json, string found)
    {
        File.WriteAllText(copy.PathOf(ManifestReader.FileName), json);

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Equal("manifest.json $", e.Location);
        Assert.Contains($"expected an object, not {found}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("modalities", "42", "$.modalities", "expected an array, not a number")]
    [InlineData("fusion", "[]", "$.fusion", "expected an object, not an array")]
    [InlineData("files", "[\"a\"]", "$.files", "expected an object, not an array")]
    [InlineData("golden", "\"none\"", "$.golden", "expected an object, not a string")]
    public void A_field_of_the_wrong_shape_is_named_by_its_path(string field, string json, string path, string message)
    {
        EditManifest(m => m[field] = JsonNode.Parse(json));

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Equal($"manifest.json {path}", e.Location);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_list_item_is_named_by_its_index()
    {
        EditManifest(m => m["modalities"]!.AsArray().Add(null));

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Equal("manifest.json $.modalities[2]", e.Location);
    }

    [Fact]
    public void A_null_file_hash_is_named_by_its_file()
    {
        EditManifest(m => m["files"]!["fusion.onnx"] = null);

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Equal("manifest.json $.files['fusion.onnx']", e.Location);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e10")]
    public void A_schema_version_that_is_not_an_integer_is_unsupported(string number)
    {
        var path = copy.PathOf(ManifestReader.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"schemaVersion\": 1", $"\"schemaVersion\": {number}", StringComparison.Ordinal));

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Contains("is not supported", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01.0.2")]
    [InlineData("1.2.3-01")]
    [InlineData("1.0.0-alpha.01")]
    [InlineData("v1.0.1")]
    [InlineData("1.0")]
    [InlineData("1.0.1-")]
    [InlineData("1.0.0+")]
    public void A_version_that_is_not_semver_2_is_refused(string version)
    {
        EditManifest(m => m["version"] = version);

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Equal("manifest.json $.version", e.Location);
        Assert.Contains("not a semantic version", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0.1-rc.1")]
    [InlineData("1.0.0-0.3.7")]
    [InlineData("2.0.0+build.5")]
    [InlineData("1.0.0-x.7.z.92+exp.sha.5114f85")]
    public void A_semver_2_version_loads(string version)
    {
        EditManifest(m => m["version"] = version);

        Assert.Equal(version, ModelPackLoader.Load(copy.Directory).Manifest.Version);
    }

    [Theory]
    [InlineData(5000, 1)]  // one name far above the file system's 255 bytes
    [InlineData(2, 2500)]  // 2500 folders deep, 5000 characters
    public void A_file_name_too_long_or_too_deep_is_refused_before_any_file_is_looked_at(int nameLength, int depth)
    {
        var name = string.Join('/', Enumerable.Repeat(new string('a', nameLength - 1), depth)) + "x";
        EditManifest(m => m["files"]![name] = new string('0', 64));

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Equal("manifest.json $.files", e.Location);
        Assert.Contains("relative path inside the pack", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 400, e.Message);
    }

    [Fact]
    public void A_file_name_with_a_control_character_is_refused_and_shown_escaped()
    {
        EditManifest(m => m["files"]!["golden/a\nb.npy"] = new string('0', 64));

        var e = LoadFails(PackErrorKind.InvalidValue);

        Assert.Contains("golden/a\\u000ab.npy", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    private ModelPackException LoadFails(PackErrorKind kind)
    {
        var e = Assert.Throws<ModelPackException>(() => ModelPackLoader.Load(copy.Directory));
        Assert.True(kind == e.Kind, $"expected {kind}, got {e.Kind}: {e.Message}");
        return e;
    }

    private void EditManifest(Action<JsonObject> edit)
    {
        var path = copy.PathOf(ManifestReader.FileName);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
