using System.Globalization;
using System.Text.Json;
using EdgeEmotion.Tests;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>
/// The <c>expression</c> pack on real face video: tests/media/expressions.mp4, a man who is
/// neutral, then raises his brows and opens his mouth now and then. The face is found, and the
/// top class follows him: neutral most of the time, surprised on several clips.
/// </summary>
public sealed class ExpressionClipTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("edgeemo-expression-clip-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task Replay_finds_the_face_and_the_top_class_goes_between_neutral_and_surprised()
    {
        var scores = Path.Combine(work, "expression.jsonl");

        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("expression"),
            "--video", TestMedia.ExpressionVideo, "--out", scores, "--providers", "cpu");

        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(scores).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var withFace = lines.Where(l => l.GetProperty("modalities").GetProperty("visual").GetProperty("state").GetString() == "ok").ToList();
        var tops = withFace.Select(l => l.GetProperty("scores").GetProperty("expression").GetProperty("label").GetString()!).ToList();
        var counts = tops.GroupBy(t => t).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"figures: expression pack on expressions.mp4: {lines.Count} clips, face on {withFace.Count}; top class {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}; changes of top class {tops.Zip(tops.Skip(1)).Count(p => p.First != p.Second)}"));

        // 480 frames, a score every 8. Measured: the face on all 60; neutral 43, surprised 17; the top class changes 10 times.
        Assert.Equal(60, lines.Count);
        Assert.True(withFace.Count >= 54, $"the face on only {withFace.Count} of 60 clips");
        Assert.True(counts.GetValueOrDefault("neutral") >= 30, $"neutral on {counts.GetValueOrDefault("neutral")} clips");
        Assert.True(counts.GetValueOrDefault("surprised") >= 8, $"surprised on {counts.GetValueOrDefault("surprised")} clips");
        Assert.True(tops.Zip(tops.Skip(1)).Count(p => p.First != p.Second) >= 6, $"top classes in order: {string.Join(", ", tops)}");
    }
}
