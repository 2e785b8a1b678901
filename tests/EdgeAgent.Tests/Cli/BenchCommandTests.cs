using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>The benchmark's plumbing; its figures are read by people, never asserted.</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_reports_both_paths_for_every_model()
    {
        var (code, output, error) = await CliRunner.RunAsync("bench", "--pack", TestPaths.Pack("pain-tiny"), "-n", "3", "--warmup", "1", "--json", "--providers", "cpu");

        Assert.True(code == ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(output);
        var models = json.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["visual", "eda", "fusion"], models.Select(m => m.GetProperty("model").GetString()));
        Assert.All(models, m =>
        {
            Assert.Equal(3, m.GetProperty("iterations").GetInt32());
            Assert.True(m.GetProperty("medianMs").GetDouble() > 0);
            Assert.True(m.GetProperty("bareMedianMs").GetDouble() > 0);
        });
    }

    [Fact]
    public async Task Bench_refuses_zero_iterations()
    {
        var (code, _, error) = await CliRunner.RunAsync("bench", "--pack", TestPaths.Pack("pain-tiny"), "-n", "0");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--iterations", error, StringComparison.Ordinal);
    }
}
