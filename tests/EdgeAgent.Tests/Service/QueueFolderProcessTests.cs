using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>`edgeemo run` on a queue folder it cannot have: one line that says why, exit 1, no stack trace.</summary>
public sealed class QueueFolderProcessTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-queue-folder-").FullName;
    private readonly AgentProcesses agents = new();

    public void Dispose()
    {
        agents.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_lock_file_that_is_a_directory_is_one_line_and_exit_1()
    {
        using var broker = await MosquittoBroker.StartAsync();
        var queue = Path.Combine(folder, "queue");
        Directory.CreateDirectory(Path.Combine(queue, "queue.lock"));
        var lines = new ConcurrentQueue<string>();

        var agent = agents.Start(WriteConfig(broker.Port, queue), lines);
        await agent.WaitForExitAsync().WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal(1, agent.ExitCode);
        AssertOneLineFailure(lines, $"The agent cannot start: queue folder '{queue}': queue.lock is a directory, not a lock file; remove it");
    }

    [Fact]
    public async Task A_second_agent_on_the_same_queue_names_the_first_one_s_pid()
    {
        using var broker = await MosquittoBroker.StartAsync();
        var queue = Path.Combine(folder, "queue");
        var config = WriteConfig(broker.Port, queue);
        var firstLines = new ConcurrentQueue<string>();
        var first = agents.Start(config, firstLines);
        await Eventually.WaitUntilAsync(() => firstLines.Any(l => l.Contains($"Queue {queue} opened", StringComparison.Ordinal)), "the first agent to open its queue");

        var lines = new ConcurrentQueue<string>();
        var second = agents.Start(config, lines);
        await second.WaitForExitAsync().WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal(1, second.ExitCode);
        AssertOneLineFailure(lines, $"The agent cannot start: queue folder '{queue}' is in use by another edgeemo (pid {first.Id})");
        Assert.False(first.HasExited);
    }

    private static void AssertOneLineFailure(IEnumerable<string> lines, string expected)
    {
        var all = lines.ToList();
        var failures = all.Where(l => l.Contains("crit", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 1 && failures[0].EndsWith(expected, StringComparison.Ordinal), string.Join('\n', all));
        Assert.DoesNotContain(all, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }

    private string WriteConfig(int port, string queue)
    {
        var config = new JsonObject
        {
            ["deviceId"] = "lock",
            ["pack"] = TestPaths.Pack("affect-tiny"),
            ["sources"] = new JsonObject { ["visual"] = new JsonObject { ["type"] = "synthetic" }, ["audio"] = new JsonObject { ["type"] = "synthetic" } },
            ["inference"] = new JsonObject { ["providers"] = new JsonArray("cpu") },
            ["mqtt"] = new JsonObject { ["broker"] = $"mqtt://127.0.0.1:{port}" },
            ["queue"] = new JsonObject { ["directory"] = queue },
        };
        var path = Path.Combine(folder, "edgeemo.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }
}
