using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Tests.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Configuration;

/// <summary>Each bad config gives one message naming the key, and `run` exits non-zero before starting anything.</summary>
public sealed class AgentConfigReaderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-config-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // The folders the agent writes (queue, TensorRT cache) are this test's own: `run --check` proves them usable.
    private JsonObject Good() => new()
    {
        ["deviceId"] = "bed-12",
        ["pack"] = TestPaths.Pack("affect-tiny"),
        ["sources"] = new JsonObject { ["visual"] = new JsonObject { ["type"] = "synthetic" }, ["audio"] = new JsonObject { ["type"] = "file", ["path"] = TestMedia.Speech } },
        ["mqtt"] = new JsonObject { ["broker"] = "mqtt://127.0.0.1:1883" },
        ["streaming"] = new JsonObject { ["hop"] = 16, ["defaults"] = new JsonObject { ["policy"] = "substitute", ["maxHold"] = "00:00:02" } },
        ["inference"] = new JsonObject { ["providers"] = new JsonArray("tensorrt", "cpu"), ["cacheDirectory"] = Path.Combine(folder, "cache") },
        ["queue"] = new JsonObject { ["directory"] = Path.Combine(folder, "queue") },
    };

    private string Write(JsonObject config, string name = "edgeemo.json")
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "// a comment, as the example has\n" + config.ToJsonString());
        return path;
    }

    private string Fails(Action<JsonObject> spoil)
    {
        var config = Good();
        spoil(config);
        return Assert.Throws<ConfigException>(() => AgentConfigReader.Read(Write(config))).Message;
    }

    [Fact]
    public void A_good_config_reads_with_its_values()
    {
        var config = AgentConfigReader.Read(Write(Good()));

        Assert.Equal("bed-12", config.DeviceId);
        Assert.Equal(16, config.Streaming.Hop);
        Assert.Equal(Runtime.Streaming.MissingPolicy.Substitute, config.Streaming.Defaults.Policy);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Streaming.Defaults.MaxHold);
        Assert.Equal([Runtime.Inference.ExecutionProviderKind.TensorRt, Runtime.Inference.ExecutionProviderKind.Cpu], config.Inference.Providers);
        Assert.Equal(SourceType.File, config.Sources.Audio!.Type);
    }

    [Fact]
    public void The_shipped_example_config_parses()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "deploy/jetson/edgeemo.json"));

        var config = AgentConfigReader.Parse(text, "edgeemo.json");

        Assert.Equal("bed-01", config.DeviceId);
    }

    [Fact]
    public void Unknown_key() =>
        Assert.Contains("$.mqtt.brokr: unknown field 'brokr'", Fails(c => c["mqtt"]!["brokr"] = "mqtt://x"), StringComparison.Ordinal);

    [Fact]
    public void Wrong_type() =>
        Assert.Contains("$.streaming.hop: expected a whole number", Fails(c => c["streaming"]!["hop"] = "sixteen"), StringComparison.Ordinal);

    [Fact]
    public void Wrong_enum_value() =>
        Assert.Contains("$.inference.providers", Fails(c => c["inference"]!["providers"] = new JsonArray("rocm")), StringComparison.Ordinal);

    [Fact]
    public void Missing_required_key() =>
        Assert.Contains("required field 'deviceId' is missing", Fails(c => c.Remove("deviceId")), StringComparison.Ordinal);

    [Fact]
    public void Missing_pack()
    {
        var message = Fails(c => c["pack"] = "/nonexistent/pack");

        Assert.StartsWith("pack: /nonexistent/pack:", message, StringComparison.Ordinal);
        Assert.Contains("does not exist", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_tls_file()
    {
        var message = Fails(c => c["mqtt"]!["caFile"] = "/nonexistent/clinic-ca.pem");

        Assert.Contains("/nonexistent/clinic-ca.pem", message, StringComparison.Ordinal);
        Assert.Contains("CaFile", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_source_for_a_modality_the_pack_lacks_is_accepted_as_a_sensor_the_pack_does_not_use()
    {
        var config = Good();
        config["sources"]!["eda"] = new JsonObject { ["type"] = "synthetic" };

        Assert.Equal(SourceType.Synthetic, AgentConfigReader.Read(Write(config)).Sources.Eda!.Type);
    }

    [Fact]
    public void A_source_of_the_wrong_kind_for_its_modality() =>
        Assert.Contains("sources.eda.type: alsa is an audio source", Fails(c => c["sources"]!["eda"] = new JsonObject { ["type"] = "alsa" }), StringComparison.Ordinal);

    [Fact]
    public void An_unreadable_EDA_calibration()
    {
        var calibration = Path.Combine(folder, "eda.json");
        File.WriteAllText(calibration, "{ \"version\": 1 }");

        var message = Fails(c => c["sources"]!["eda"] = new JsonObject { ["type"] = "ads1115", ["ads1115"] = new JsonObject { ["calibrationFile"] = calibration } });

        Assert.StartsWith($"sources.eda.ads1115.calibrationFile: EDA calibration {calibration} is not valid calibration JSON", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_source_whose_file_is_missing() =>
        Assert.Contains("sources.audio.path: '/nonexistent.wav' does not exist", Fails(c => c["sources"]!["audio"]!["path"] = "/nonexistent.wav"), StringComparison.Ordinal);

    [Fact]
    public void A_hop_that_breaks_the_fusion_spacing() =>
        Assert.Contains("must divide the pack's clip spacing", Fails(c => c["streaming"]!["hop"] = 12), StringComparison.Ordinal);

    [Fact]
    public void A_device_id_that_cannot_be_a_topic_level() =>
        Assert.Contains("deviceId: 'bed/12'", Fails(c => c["deviceId"] = "bed/12"), StringComparison.Ordinal);

    [Fact]
    public void Bad_dropout_script() =>
        Assert.Contains("sources.dropouts", Fails(c => c["sources"]!["dropouts"] = "visual:sneeze@1-2"), StringComparison.Ordinal);

    [Fact]
    public void An_ota_section_reads_with_its_values()
    {
        var good = Good();
        good["ota"] = new JsonObject
        {
            ["enabled"] = true,
            ["stateDirectory"] = folder,
            ["trustedKeys"] = folder,
            ["allowedSigners"] = new JsonArray(new string('a', 64)),
            ["maxDownloadBytes"] = 1000,
            ["downloadTimeout"] = "00:00:30",
            ["healthGate"] = new JsonObject { ["outputs"] = 7, ["within"] = "00:00:20" },
        };

        var config = AgentConfigReader.Read(Write(good));

        Assert.True(config.Ota.Enabled);
        Assert.Equal(7, config.Ota.HealthGate.Outputs);
        Assert.Equal(TimeSpan.FromSeconds(20), config.Ota.HealthGate.Within);
        Assert.Equal(1000, config.Ota.MaxDownloadBytes);
        Assert.False(AgentConfigReader.Read(Write(Good(), "plain.json")).Ota.Enabled);
    }

    [Fact]
    public void Bad_ota_values_name_their_key()
    {
        Assert.Contains("ota.healthGate.outputs: must be > 0", Fails(c => c["ota"] = new JsonObject { ["healthGate"] = new JsonObject { ["outputs"] = 0 } }), StringComparison.Ordinal);
        Assert.Contains("ota.maxDownloadBytes: must be > 0", Fails(c => c["ota"] = new JsonObject { ["maxDownloadBytes"] = -1 }), StringComparison.Ordinal);
        Assert.Contains("ota.trustedKeys: '/nonexistent/keys' is not a folder", Fails(c => c["ota"] = new JsonObject { ["enabled"] = true, ["trustedKeys"] = "/nonexistent/keys" }), StringComparison.Ordinal);
        Assert.Contains("ota.allowedSigners", Fails(c => c["ota"] = new JsonObject { ["enabled"] = true, ["trustedKeys"] = "/tmp", ["allowedSigners"] = new JsonArray("fleet") }), StringComparison.Ordinal);
        Assert.Contains("$.ota.healthgate", Fails(c => c["ota"] = new JsonObject { ["healthgate"] = new JsonObject() }), StringComparison.Ordinal);
    }

    [Fact]
    public void Not_json_at_all()
    {
        var path = Path.Combine(folder, "broken.json");
        File.WriteAllText(path, "{ \"deviceId\": ");

        var message = Assert.Throws<ConfigException>(() => AgentConfigReader.Read(path)).Message;

        Assert.Contains("not valid JSON (line 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_a_bad_config_prints_one_line_and_exits_non_zero()
    {
        var config = Good();
        config["mqtt"]!["brokr"] = "x";

        var (code, output, error) = await CliRunner.RunAsync("run", "--config", Write(config));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: config ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_check_accepts_a_good_config()
    {
        var (code, output, error) = await CliRunner.RunAsync("run", "--config", Write(Good()), "--check");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("config ok: device bed-12", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_face_models_default_to_the_copy_beside_the_executable_and_resolve_against_the_config_s_folder()
    {
        Assert.Equal(FacesConfig.DefaultModelsDirectory, AgentConfigReader.Read(Write(Good())).Faces.ModelsDirectory);
        Assert.True(File.Exists(Path.Combine(FacesConfig.DefaultModelsDirectory, "tiny_face_detector.onnx")), "the build copies models/face beside the executable");

        var models = Directory.CreateDirectory(Path.Combine(folder, "face"));
        foreach (var file in new[] { "tiny_face_detector.onnx", "face_landmark_68.onnx" })
        {
            File.Copy(Path.Combine(TestPaths.FaceModels, file), Path.Combine(models.FullName, file));
        }

        var config = Good();
        config["faces"] = new JsonObject { ["modelsDirectory"] = "face" };
        Assert.Equal(models.FullName, AgentConfigReader.Read(Write(config)).Faces.ModelsDirectory);
    }

    [Fact]
    public void A_pack_that_finds_faces_with_the_trained_detector_needs_the_face_models_folder()
    {
        var message = Fails(c => c["faces"] = new JsonObject { ["modelsDirectory"] = Path.Combine(folder, "nowhere") });
        Assert.StartsWith("faces.modelsDirectory: '", message, StringComparison.Ordinal);
        Assert.Contains("is not a folder; pack affect-tiny finds faces with the tinyFaceDetector", message, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(folder, "empty"));
        message = Fails(c => c["faces"] = new JsonObject { ["modelsDirectory"] = Path.Combine(folder, "empty") });
        Assert.Contains("tiny_face_detector.onnx' does not exist", message, StringComparison.Ordinal);

        // The detector alone is no front end: the landmark net is checked too, before the service starts.
        var detectorOnly = Directory.CreateDirectory(Path.Combine(folder, "detector-only")).FullName;
        File.Copy(Path.Combine(TestPaths.FaceModels, "tiny_face_detector.onnx"), Path.Combine(detectorOnly, "tiny_face_detector.onnx"));
        message = Fails(c => c["faces"] = new JsonObject { ["modelsDirectory"] = detectorOnly });
        Assert.Contains("face_landmark_68.onnx' does not exist", message, StringComparison.Ordinal);
    }
}
