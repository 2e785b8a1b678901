using System.Text.Json.Nodes;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Packs;

/// <summary>The face recipe's checks (docs/model-pack.md "Face recipe"): each field refused with its JSON path.</summary>
public sealed class FaceRecipeManifestTests : IDisposable
{
    private const string Face = "$.modalities[0].video.face";
    private readonly PackCopy copy = new("affect-tiny");

    public void Dispose() => copy.Dispose();

    [Fact]
    public void A_pack_without_a_face_recipe_loads_with_none()
    {
        SetFace(null);

        Assert.Null(VisualSpec(ModelPackLoader.Load(copy.Directory)).Face);
    }

    [Fact]
    public void Every_recipe_the_front_ends_make_loads()
    {
        var template = new JsonArray(new JsonArray(30, 50), new JsonArray(70, 50), new JsonArray(50, 70), new JsonArray(35, 90), new JsonArray(65, 90));
        foreach (var face in new[]
        {
            new JsonObject { ["detector"] = "tinyFaceDetector", ["crop"] = "aligned" },
            new JsonObject { ["detector"] = "tinyFaceDetector", ["crop"] = "aligned", ["template"] = template.DeepClone(), ["templateSize"] = 100, ["margin"] = 0.1 },
            new JsonObject { ["detector"] = "tinyFaceDetector", ["crop"] = "landmarkBox" },
            new JsonObject { ["detector"] = "tinyFaceDetector", ["crop"] = "box", ["margin"] = 0.25 },
            new JsonObject { ["detector"] = "haar", ["crop"] = "box", ["margin"] = 0.25 },
        })
        {
            SetFace(face);
            var loaded = VisualSpec(ModelPackLoader.Load(copy.Directory)).Face!;
            Assert.Equal((string)face["crop"]!, loaded.Crop);
        }

        Assert.Equal(100, VisualSpec(ModelPackLoader.Load(CopyWith(new JsonObject
        {
            ["detector"] = "tinyFaceDetector", ["crop"] = "aligned", ["template"] = template.DeepClone(), ["templateSize"] = 100,
        }))).Face!.TemplateSize);
    }

    [Theory]
    [InlineData("""{"detector": "mtcnn", "crop": "aligned"}""", ".detector", "'mtcnn' is not a face detector")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "warped"}""", ".crop", "'warped' is not a face crop")]
    [InlineData("""{"detector": "haar", "crop": "aligned"}""", ".crop", "needs landmarks")]
    [InlineData("""{"detector": "haar", "crop": "landmarkBox"}""", ".crop", "needs landmarks")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "box", "template": [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]}""", ".template", "only an aligned crop has a template")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "landmarkBox", "templateSize": 112}""", ".templateSize", "only an aligned crop has a template")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "aligned", "templateSize": 0}""", ".templateSize", "must be positive")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "aligned", "template": [[1, 1], [2, 2], [3, 3], [4, 4]]}""", ".template", "needs 5 points")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "aligned", "template": [[1, 1], [2, 2], [3, 3], [4, 4], [5]]}""", ".template[4]", "must be [x, y]")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "aligned", "template": [[1, 1], [2, 2], [3, 3], [4, 4], [5, 113]]}""", ".template[4]", "inside the 112x112 template square")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "aligned", "margin": 0.5}""", ".margin", "is not in [0, 0.5)")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "aligned", "margin": -0.1}""", ".margin", "is not in [0, 0.5)")]
    [InlineData("""{"detector": "haar", "crop": "box", "margin": 2}""", ".margin", "is not in [0, 2)")]
    [InlineData("""{"detector": "tinyFaceDetector", "crop": "landmarkBox", "margin": 0.1}""", ".margin", "fixed 20 % padding")]
    public void A_bad_field_is_refused_with_its_path(string face, string field, string message)
    {
        SetFace(JsonNode.Parse(face)!.AsObject());

        var e = Assert.Throws<ModelPackException>(() => ModelPackLoader.Load(copy.Directory));

        Assert.Equal(PackErrorKind.InvalidValue, e.Kind);
        Assert.Equal($"manifest.json {Face}{field}", e.Location);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_square_crop_of_the_trained_detector_needs_a_square_stream()
    {
        EditManifest(m =>
        {
            var video = m["modalities"]![0]!["video"]!;
            video["face"] = new JsonObject { ["detector"] = "tinyFaceDetector", ["crop"] = "landmarkBox" };
            video["width"] = (int)video["height"]! + 16;
        });

        var e = Assert.Throws<ModelPackException>(() => ModelPackLoader.Load(copy.Directory));

        Assert.Equal($"manifest.json {Face}", e.Location);
        Assert.Contains("a landmarkBox crop is square", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Need_face_models_only_for_the_trained_detector()
    {
        SetFace(new JsonObject { ["detector"] = "haar", ["crop"] = "box" });
        Assert.False(FaceRecipes.NeedFaceModels(ModelPackLoader.Load(copy.Directory).Manifest));

        SetFace(null);
        Assert.False(FaceRecipes.NeedFaceModels(ModelPackLoader.Load(copy.Directory).Manifest));

        SetFace(new JsonObject { ["detector"] = "tinyFaceDetector", ["crop"] = "aligned" });
        Assert.True(FaceRecipes.NeedFaceModels(ModelPackLoader.Load(copy.Directory).Manifest));
    }

    private static VideoSpec VisualSpec(ModelPack pack) => pack.Manifest.Streams.Single(b => b.Spec.FaceClip is not null).Spec.FaceClip!;

    private string CopyWith(JsonObject face)
    {
        SetFace(face);
        return copy.Directory;
    }

    private void SetFace(JsonObject? face) => EditManifest(m =>
    {
        var video = m["modalities"]![0]!["video"]!.AsObject();
        video.Remove("face");
        if (face is not null)
        {
            video["face"] = face;
        }
    });

    private void EditManifest(Action<JsonObject> edit)
    {
        var path = copy.PathOf("manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
