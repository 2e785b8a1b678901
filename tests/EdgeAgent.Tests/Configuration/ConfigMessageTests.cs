using System.CommandLine;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.EdgeAgent.Tests.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Configuration;

/// <summary>
/// What `run` says about a config it cannot use, through the CLI: a JSON syntax error at one
/// position, a wrong type with the format expected (never a .NET type name), a file where the
/// pack folder belongs, and no config at all.
/// </summary>
public sealed class ConfigMessageTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-messages-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_json_syntax_error_names_one_position()
    {
        var path = Path.Combine(folder, "edgeemo.json");
        File.WriteAllText(path, "{ \"deviceId\": \"bed-12\",\n  \"pack\": \"x\" \"sources\": {} }");

        var (code, _, error) = await CliRunner.RunAsync("run", "--config", path, "--check");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: config {path}: not valid JSON (line 2, byte 15): ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePosition", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    public static TheoryData<string, JsonNode, string> WrongTypes => new()
    {
        { "streaming.defaults.maxHold", 3, "$.streaming.defaults.maxHold: expected a duration \"hh:mm:ss[.fff]\", such as \"00:00:03\"" },
        { "service.stallAfter", "10s", "$.service.stallAfter: expected a duration \"hh:mm:ss[.fff]\", such as \"00:00:03\"" },
        { "ota.enabled", "yes", "$.ota.enabled: expected true or false" },
        { "queue.maxMessages", "many", "$.queue.maxMessages: expected a whole number" },
        { "streaming.minFaceFraction", "half", "$.streaming.minFaceFraction: expected a number" },
        { "queue.durability", "sometimes", "$.queue.durability: expected one of \"EveryMessage\", \"Batched\"" },
        { "mqtt.broker", 1883, "$.mqtt.broker: expected a URI string, such as \"mqtts://broker.example:8883\"" },
        { "deviceId", 12, "$.deviceId: expected a string" },
        { "sources.visual.type", 1, "$.sources.visual.type: expected one of \"file\", \"synthetic\", \"camera\", \"alsa\", \"ads1115\", not a number" },
        { "streaming", 5, "$.streaming: expected an object { ... }" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task A_wrong_type_names_the_expected_format(string key, JsonNode value, string expected)
    {
        var config = Config();
        var parts = key.Split('.');
        var parent = config;
        foreach (var part in parts[..^1])
        {
            parent = (JsonObject)(parent[part] ??= new JsonObject());
        }

        parent[parts[^1]] = value;
        var path = Path.Combine(folder, "edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());

        var (code, _, error) = await CliRunner.RunAsync("run", "--config", path, "--check");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: config {path}: {expected}", error.Trim());
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rocm")]
    [InlineData(2)]
    public async Task A_list_item_of_the_wrong_kind_names_the_choices(object provider)
    {
        var config = Config();
        config["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu", JsonValue.Create(provider)) };
        var path = Path.Combine(folder, "edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());

        var (_, _, error) = await CliRunner.RunAsync("run", "--config", path, "--check");

        Assert.Contains("$.inference.providers[1]: expected one of \"tensorrt\", \"cuda\", \"cpu\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_given_as_the_pack_is_called_a_file()
    {
        var manifest = Path.Combine(TestPaths.Pack("affect-tiny"), "manifest.json");
        var config = Config();
        config["pack"] = manifest;
        var path = Path.Combine(folder, "edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());

        var (code, _, error) = await CliRunner.RunAsync("run", "--config", path, "--check");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: pack: {manifest}: is a file, not a pack folder: give the folder that holds manifest.json", error.Trim());
    }

    [Fact]
    public async Task Replay_and_verify_call_a_file_given_as_the_pack_a_file()
    {
        var manifest = Path.Combine(TestPaths.Pack("affect-tiny"), "manifest.json");

        var replay = await CliRunner.RunAsync("replay", "--pack", manifest, "--audio", TestMedia.Speech, "--out", Path.Combine(folder, "out.jsonl"), "--providers", "cpu");
        var verify = await CliRunner.RunAsync("models", "verify", manifest, "--providers", "cpu");

        Assert.Contains($"{manifest}: is a file, not a pack folder", replay.Error, StringComparison.Ordinal);
        Assert.Contains($"{manifest}: is a file, not a pack folder", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_given_as_a_source_file_is_called_a_folder()
    {
        var config = Config();
        config["sources"] = new JsonObject { ["audio"] = new JsonObject { ["type"] = "file", ["path"] = TestMedia.Directory } };
        var path = Path.Combine(folder, "edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());

        var (code, _, error) = await CliRunner.RunAsync("run", "--config", path, "--check");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: sources.audio.path: '{TestMedia.Directory}' is a folder, not a file", error.Trim());
    }

    [Fact]
    public async Task A_file_camera_whose_video_is_missing_fails_the_check()
    {
        var missing = Path.Combine(folder, "missing.mp4");
        var config = Config();
        config["sources"] = new JsonObject { ["visual"] = new JsonObject { ["type"] = "camera", ["camera"] = new JsonObject { ["kind"] = "File", ["path"] = missing } } };
        var path = Path.Combine(folder, "edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());

        var (code, _, error) = await CliRunner.RunAsync("run", "--config", path, "--check");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: sources.visual.camera.path: '{missing}' does not exist", error.Trim());
    }

    [Fact]
    public async Task A_folder_given_as_the_config_is_called_a_folder()
    {
        var (code, _, error) = await CliRunner.RunAsync("run", "--config", folder, "--check");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: config {folder}: is a folder, not a config file", error.Trim());
    }

    [Fact]
    public async Task Run_without_config_and_without_the_installed_one_names_the_option_and_the_example()
    {
        var missing = Path.Combine(folder, "etc", "edgeemo", "edgeemo.json");
        var error = new StringWriter();

        var code = await new RootCommand { RunCommand.Create(defaultConfig: missing) }.Parse(["run"])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error });

        Assert.Equal(ExitCodes.Usage, code);
        var message = error.ToString();
        Assert.StartsWith($"error: no config file: {missing} does not exist. Give one with --config FILE; the example is deploy/jetson/edgeemo.json", message, StringComparison.Ordinal);
        Assert.Single(message.Trim().Split('\n'));
    }

    private JsonObject Config() => new()
    {
        ["deviceId"] = "bed-12",
        ["pack"] = TestPaths.Pack("affect-tiny"),
        ["sources"] = new JsonObject { ["visual"] = new JsonObject { ["type"] = "synthetic" } },
        ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
        ["queue"] = new JsonObject { ["directory"] = Path.Combine(folder, "queue") },
    };
}
