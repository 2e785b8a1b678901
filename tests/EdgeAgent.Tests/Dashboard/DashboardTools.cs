using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Dashboard;

/// <summary>
/// The dashboard's tools and build for its tests: Node.js, Debian's chromium, and dashboard/dist
/// with its npm packages (scripts/build-dashboard.sh, a no-op when up to date). A missing tool
/// fails the test with what to install: it never skips.
/// </summary>
internal static class DashboardTools
{
    public const string Chromium = "/usr/bin/chromium";

    public static string DashboardDirectory => Path.Combine(TestPaths.RepoRoot, "dashboard");

    public static string Dist => Path.Combine(DashboardDirectory, "dist");

    /// <summary>Where screenshots go: the Makefile's results folder (TestResults/dashboard), or $EDGEEMO_TEST_RESULTS/dashboard.</summary>
    public static string ResultsDirectory =>
        Path.Combine(Environment.GetEnvironmentVariable("EDGEEMO_TEST_RESULTS") is { Length: > 0 } given ? given : Path.Combine(TestPaths.RepoRoot, "TestResults"), "dashboard");

    public static string Node() => OnPath("node") ?? throw new InvalidOperationException(
        "node is not installed: the dashboard and its browser test need Node.js and npm ('bash scripts/setup.sh' installs Debian's nodejs and npm)");

    public static void RequireChromium()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: the browser test drives Debian's chromium ('bash scripts/setup.sh' installs it)");
        }
    }

    /// <summary>Installs the npm packages and builds dist/ when they are not up to date.</summary>
    public static async Task BuildAsync()
    {
        Node();
        var build = await ToolRun.RunAsync("/bin/bash", Path.Combine(TestPaths.RepoRoot, "scripts", "build-dashboard.sh"));
        Assert.True(build.ExitCode == 0, $"scripts/build-dashboard.sh failed: {build}");
        Assert.True(File.Exists(Path.Combine(Dist, "index.html")), $"no dashboard/dist/index.html after the build: {build}");
    }

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
