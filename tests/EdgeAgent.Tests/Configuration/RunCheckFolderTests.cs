using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.EdgeAgent.Tests.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Configuration;

/// <summary>
/// `run --check` (and `run`, which checks the same) proves every folder the agent writes usable:
/// creatable, a folder, and writable, naming the key and the reason in one line. The cases fail
/// for root too (the tests run as root here and in CI): a file, a folder under a file, a device,
/// a virtual file system.
/// </summary>
public sealed class RunCheckFolderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-folders-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string, string> UnusableFolders => new()
    {
        { "a file", "is not a folder" },
        { "under a file", "cannot be created: '{file}' is not a folder" },
        { "/dev/null", "is not a folder" },
        { "/proc/edgeemo-queue", "cannot be created: the file system takes no new files here" },
        { "/proc/self", "is not writable: the file system takes no new files here" },
    };

    [Theory]
    [MemberData(nameof(UnusableFolders))]
    public async Task An_unusable_queue_folder_fails_the_check_in_one_line(string where, string reason)
    {
        var queue = Unusable(where);

        var (code, output, error) = await CheckAsync(c => c["queue"] = new JsonObject { ["directory"] = queue });

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.StartsWith($"error: queue.directory: '{queue}' {reason.Replace("{file}", File(), StringComparison.Ordinal)}", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [MemberData(nameof(UnusableFolders))]
    public async Task An_unusable_ota_state_folder_fails_the_check_in_one_line(string where, string reason)
    {
        var state = Unusable(where);

        var (code, _, error) = await CheckAsync(c => c["ota"] = new JsonObject { ["enabled"] = true, ["stateDirectory"] = state, ["trustedKeys"] = folder });

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: ota.stateDirectory: '{state}' {reason.Replace("{file}", File(), StringComparison.Ordinal)}", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unusable_tensorrt_cache_folder_fails_the_check_when_tensorrt_is_listed()
    {
        var cache = Unusable("a file");

        var withTensorRt = await CheckAsync(c => c["inference"] = new JsonObject { ["providers"] = new JsonArray("tensorrt", "cpu"), ["cacheDirectory"] = cache });
        var withoutTensorRt = await CheckAsync(c => c["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu"), ["cacheDirectory"] = cache });

        Assert.Equal(ExitCodes.Usage, withTensorRt.ExitCode);
        Assert.StartsWith($"error: inference.cacheDirectory: '{cache}' is not a folder", withTensorRt.Error, StringComparison.Ordinal);
        Assert.True(withoutTensorRt.ExitCode == ExitCodes.Ok, withoutTensorRt.Error);
    }

    [Fact]
    public async Task A_missing_folder_passes_and_the_check_leaves_nothing_behind()
    {
        var queue = Path.Combine(folder, "var", "lib", "queue");

        var (code, _, error) = await CheckAsync(c => c["queue"] = new JsonObject { ["directory"] = queue });

        Assert.True(code == ExitCodes.Ok, error);
        Assert.False(Directory.Exists(Path.Combine(folder, "var")), "the check removes the folders it created");
    }

    [Fact]
    public async Task An_existing_folder_passes_and_keeps_only_what_it_held()
    {
        var queue = Directory.CreateDirectory(Path.Combine(folder, "queue")).FullName;
        System.IO.File.WriteAllText(Path.Combine(queue, "00000000000000000001.seg"), "");

        var (code, _, error) = await CheckAsync(c => c["queue"] = new JsonObject { ["directory"] = queue });

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal(["00000000000000000001.seg"], Directory.EnumerateFileSystemEntries(queue).Select(Path.GetFileName));
    }

    private string File()
    {
        var path = Path.Combine(folder, "a-file");
        if (!System.IO.File.Exists(path))
        {
            System.IO.File.WriteAllText(path, "not a folder");
        }

        return path;
    }

    private string Unusable(string where) => where switch
    {
        "a file" => File(),
        "under a file" => Path.Combine(File(), "queue"),
        _ => where,
    };

    private Task<(int ExitCode, string Output, string Error)> CheckAsync(Action<JsonObject> change)
    {
        var config = new JsonObject
        {
            ["deviceId"] = "bed-12",
            ["pack"] = TestPaths.Pack("affect-tiny"),
            ["sources"] = new JsonObject { ["visual"] = new JsonObject { ["type"] = "synthetic" } },
            ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
            ["queue"] = new JsonObject { ["directory"] = Path.Combine(folder, "queue") },
        };
        change(config);
        var path = Path.Combine(folder, "edgeemo.json");
        System.IO.File.WriteAllText(path, config.ToJsonString());
        return CliRunner.RunAsync("run", "--config", path, "--check");
    }
}
