using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Tests;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Dashboard;

/// <summary>
/// The ward dashboard (dashboard/) in Debian's chromium against a real mosquitto serving it from
/// its WebSockets listener (http_dir) and a real `edgeemo demo`: dashboard/test/browser.mjs
/// drives the browser and saves screenshots under TestResults/dashboard.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8); // a hang guard, never a speed limit

    [Fact]
    public async Task The_ward_shows_the_demo_bed_live_its_dropout_fifty_beds_and_the_last_will()
    {
        var node = DashboardTools.Node();
        DashboardTools.RequireChromium();
        await DashboardTools.BuildAsync();
        using var broker = await MosquittoBroker.StartAsync(new MosquittoSettings { WebSocketsHttpDirectory = DashboardTools.Dist });
        var results = DashboardTools.ResultsDirectory;
        Directory.CreateDirectory(results);

        using var agent = StartDemo(broker.Port, "bed-demo");
        var run = await ToolRun.RunAsync(
            node,
            [
                Path.Combine(DashboardTools.DashboardDirectory, "test", "browser.mjs"),
                "--page", $"http://127.0.0.1:{broker.WebSocketsPort.ToString(CultureInfo.InvariantCulture)}/",
                "--mqtt", broker.Uri.ToString(),
                "--device", "bed-demo",
                "--agent-pid", agent.Id.ToString(CultureInfo.InvariantCulture),
                "--out", results,
                "--beds", "50",
            ],
            Limit);
        output.WriteLine(run.ToString());

        Assert.True(run.ExitCode == 0, $"{run}\nmosquitto:\n{broker.Log}");
        Assert.Contains("PASS", run.Output, StringComparison.Ordinal);
        foreach (var shot in new[] { "dashboard-demo-live.png", "dashboard-demo-dropout.png", "dashboard-ward-50.png", "dashboard-demo-offline.png" })
        {
            Assert.True(new FileInfo(Path.Combine(results, shot)).Length > 0, $"no screenshot {shot} in {results}");
        }

        Assert.True(agent.WaitForExit(TimeSpan.FromMinutes(1)), "the demo agent outlived its SIGKILL");

        // The simulated ward's messages are valid messages, "imagined" modalities included.
        var sent = (await File.ReadAllLinesAsync(Path.Combine(results, "ward-messages.jsonl")))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var (kind, schema) in new[] { ("status", "status.schema.json"), ("scores", "scores.schema.json"), ("health", "health.schema.json") })
        {
            var payloads = sent.Where(m => m.GetProperty("kind").GetString() == kind)
                .Select(m => m.GetProperty("payload").GetRawText())
                .ToList();
            Assert.NotEmpty(payloads);
            Assert.Empty(await JsonSchemaCheck.ValidateAsync(schema, payloads));
        }
    }

    [Fact]
    public async Task Against_a_broker_with_passwords_the_page_asks_for_one_and_then_goes_live()
    {
        var node = DashboardTools.Node();
        DashboardTools.RequireChromium();
        await DashboardTools.BuildAsync();
        const string User = "dashboard";
        var password = $"pw-{Guid.NewGuid():N}";
        using var broker = await MosquittoBroker.StartAsync(new MosquittoSettings { User = (User, password), WebSocketsHttpDirectory = DashboardTools.Dist });

        var run = await ToolRun.RunAsync(
            node,
            [
                Path.Combine(DashboardTools.DashboardDirectory, "test", "login.mjs"),
                "--page", $"http://127.0.0.1:{broker.WebSocketsPort.ToString(CultureInfo.InvariantCulture)}/",
                "--mqtt", broker.Uri.ToString(),
                "--user", User,
                "--password", password,
                "--out", DashboardTools.ResultsDirectory,
            ],
            Limit);
        output.WriteLine(run.ToString());

        Assert.True(run.ExitCode == 0, $"{run}\nmosquitto:\n{broker.Log}");
        Assert.Contains("PASS", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_logic_passes_its_node_unit_tests()
    {
        var node = DashboardTools.Node();
        await DashboardTools.BuildAsync();

        var run = await ToolRun.RunAsync(node, ["--test", "--test-reporter=tap", Path.Combine(DashboardTools.DashboardDirectory, "test", "unit")], Limit);
        output.WriteLine(run.ToString());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"# pass [1-9]\d*", run.Output);
        Assert.Contains("# fail 0", run.Output, StringComparison.Ordinal);
    }

    /// <summary>`edgeemo demo` (synthetic sources, scripted dropouts) publishing to the broker, killed on dispose.</summary>
    private static DemoProcess StartDemo(int port, string deviceId)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "edgeemo"))
        {
            ArgumentList = { "demo", "--broker", $"mqtt://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--device-id", deviceId, "--pack", TestPaths.Pack("affect-tiny") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("edgeemo demo did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new DemoProcess(process);
    }

    private sealed class DemoProcess(Process process) : IDisposable
    {
        public int Id => process.Id;

        public bool WaitForExit(TimeSpan limit) => process.WaitForExit(limit);

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
