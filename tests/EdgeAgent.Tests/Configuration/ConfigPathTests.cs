using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Configuration;

/// <summary>
/// Relative paths in the config file are relative to the file's folder (docs/config.md), for
/// every path key, whatever the current directory. The tests never change the process's current
/// directory: they read a config by its path (the test process runs elsewhere), and start the
/// real agent in another working directory.
/// </summary>
public sealed class ConfigPathTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("edgeemo-paths-").FullName;

    public ConfigPathTests()
    {
        ConfigFolder = Directory.CreateDirectory(Path.Combine(root, "etc", "edgeemo")).FullName;
        OtherFolder = Directory.CreateDirectory(Path.Combine(root, "elsewhere")).FullName;
    }

    private string ConfigFolder { get; }

    /// <summary>The working directory of the agent processes: not the config's folder.</summary>
    private string OtherFolder { get; }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Every_path_key_of_a_video_and_audio_config_is_resolved_against_the_config_folder()
    {
        using var pki = await TestCertificates.CreateAsync();
        Put("media/face.jpg", TestMedia.FaceImage);
        Put("media/speech.wav", TestMedia.Speech);
        Put("tls/ca.crt", pki.CaCertificate);
        Put("tls/client.crt", pki.ClientCertificate);
        Put("tls/client.key", pki.ClientKey);
        Write("secrets/password", "secret\n");
        Write("lib/libonnxruntime.so", "not loaded by the reader");
        Directory.CreateDirectory(In("keys"));
        var config = new JsonObject
        {
            ["deviceId"] = "bed-12",
            ["pack"] = Path.GetRelativePath(ConfigFolder, TestPaths.Pack("affect-tiny")),
            ["sources"] = new JsonObject
            {
                ["visual"] = new JsonObject { ["type"] = "synthetic", ["faceImage"] = "media/face.jpg" },
                ["audio"] = new JsonObject { ["type"] = "file", ["path"] = "media/speech.wav" },
            },
            ["inference"] = new JsonObject { ["providers"] = new JsonArray("tensorrt", "cpu"), ["nativeLibraryPath"] = "lib/libonnxruntime.so", ["cacheDirectory"] = "cache" },
            ["mqtt"] = new JsonObject
            {
                ["broker"] = "mqtts://127.0.0.1:8883",
                ["username"] = "bed-12",
                ["passwordFile"] = "secrets/password",
                ["caFile"] = "tls/ca.crt",
                ["clientCertificateFile"] = "tls/client.crt",
                ["clientKeyFile"] = "tls/client.key",
            },
            ["queue"] = new JsonObject { ["directory"] = "queue" },
            ["ota"] = new JsonObject { ["enabled"] = true, ["stateDirectory"] = "state", ["trustedKeys"] = "keys" },
        };

        var read = AgentConfigReader.Read(WriteConfig(config));

        Assert.Equal(TestPaths.Pack("affect-tiny"), read.Pack);
        Assert.Equal(In("media/face.jpg"), read.Sources.Visual!.FaceImage);
        Assert.Equal(In("media/speech.wav"), read.Sources.Audio!.Path);
        Assert.Equal(In("lib/libonnxruntime.so"), read.Inference.NativeLibraryPath);
        Assert.Equal(In("cache"), read.Inference.CacheDirectory);
        Assert.Equal(In("secrets/password"), read.Mqtt.PasswordFile);
        Assert.Equal(In("tls/ca.crt"), read.Mqtt.CaFile);
        Assert.Equal(In("tls/client.crt"), read.Mqtt.ClientCertificateFile);
        Assert.Equal(In("tls/client.key"), read.Mqtt.ClientKeyFile);
        Assert.Equal(In("queue"), read.Queue.Directory);
        Assert.Equal(In("state"), read.Ota.StateDirectory);
        Assert.Equal(In("keys"), read.Ota.TrustedKeys);
    }

    [Fact]
    public void Every_path_key_of_a_camera_and_eda_config_is_resolved_against_the_config_folder()
    {
        Put("media/face.mp4", TestMedia.FaceVideo);
        TestEdaCalibration.Save(In("calibration/eda.json"));
        var config = new JsonObject
        {
            ["deviceId"] = "bed-12",
            ["pack"] = Path.GetRelativePath(ConfigFolder, TestPaths.Pack("pain-tiny")),
            ["sources"] = new JsonObject
            {
                ["visual"] = new JsonObject { ["type"] = "camera", ["camera"] = new JsonObject { ["kind"] = "File", ["path"] = "media/face.mp4", ["device"] = "dev/video7" } },
                ["eda"] = new JsonObject { ["type"] = "ads1115", ["ads1115"] = new JsonObject { ["calibrationFile"] = "calibration/eda.json" } },
            },
            ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
            ["queue"] = new JsonObject { ["directory"] = "spool/queue" },
        };

        var read = AgentConfigReader.Read(WriteConfig(config));

        Assert.Equal(In("media/face.mp4"), read.Sources.Visual!.Camera!.Path);
        Assert.Equal(In("dev/video7"), read.Sources.Visual.Camera.Device);
        Assert.Equal(In("calibration/eda.json"), read.Sources.Eda!.Ads1115!.CalibrationFile);
        Assert.Equal(In("spool/queue"), read.Queue.Directory);
    }

    [Fact]
    public void Absolute_paths_stay_as_they_are()
    {
        var queue = Path.Combine(root, "var", "queue");
        var config = Minimal(queue);

        var read = AgentConfigReader.Read(WriteConfig(config));

        Assert.Equal(queue, read.Queue.Directory);
        Assert.Equal(TestPaths.Pack("affect-tiny"), read.Pack);
    }

    [Fact]
    public async Task Run_check_started_in_another_folder_finds_the_files_beside_the_config()
    {
        Write("mqtt-password", "secret\n");
        var config = Minimal("queue");
        config["pack"] = Path.GetRelativePath(ConfigFolder, TestPaths.Pack("affect-tiny"));
        config["mqtt"] = new JsonObject { ["broker"] = "mqtt://127.0.0.1:1883", ["username"] = "bed-12", ["passwordFile"] = "mqtt-password" };
        var path = WriteConfig(config);

        var run = await RunAgentInAsync(OtherFolder, ToolRun.DefaultLimit, "run", "--config", Path.GetRelativePath(OtherFolder, path), "--check");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("config ok: device bed-12", run.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(OtherFolder));
    }

    [Fact]
    public async Task Run_started_in_another_folder_uses_the_queue_beside_the_config_and_refuses_it_in_one_line()
    {
        // The queue beside the config is a file; a "queue" folder in the working directory would do,
        // so only a run that resolves against the config's folder refuses to start.
        Write("queue", "not a folder");
        Directory.CreateDirectory(Path.Combine(OtherFolder, "queue"));
        var path = WriteConfig(Minimal("queue"));

        var run = await RunAgentInAsync(OtherFolder, TimeSpan.FromMinutes(2), "run", "--config", path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"error: queue.directory: '{In("queue")}' is not a folder", run.Error.Trim());
        Assert.Empty(run.Output);
    }

    private static Task<ToolResult> RunAgentInAsync(string workingDirectory, TimeSpan limit, params string[] arguments) =>
        ToolRun.RunAsync("env", ["--chdir", workingDirectory, Path.Combine(AppContext.BaseDirectory, "edgeemo"), .. arguments], limit);

    private static JsonObject Minimal(string queue) => new()
    {
        ["deviceId"] = "bed-12",
        ["pack"] = TestPaths.Pack("affect-tiny"),
        ["sources"] = new JsonObject { ["visual"] = new JsonObject { ["type"] = "synthetic" } },
        ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
        ["mqtt"] = new JsonObject { ["broker"] = "mqtt://127.0.0.1:1" },
        ["queue"] = new JsonObject { ["directory"] = queue },
    };

    private string In(string relative) => Path.Combine(ConfigFolder, relative);

    private void Put(string relative, string source)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(In(relative))!);
        File.Copy(source, In(relative));
    }

    private void Write(string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(In(relative))!);
        File.WriteAllText(In(relative), text);
    }

    private string WriteConfig(JsonObject config)
    {
        var path = In("edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }
}
