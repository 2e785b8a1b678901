using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary><c>models verify</c> describes what a pack is made of: streams, imagination models, fusion or none, score layouts.</summary>
public sealed class ModelsVerifyVersion2Tests(GeneratedVersion2Packs packs) : IClassFixture<GeneratedVersion2Packs>
{
    [Fact]
    public async Task Verify_describes_streams_imagination_and_the_fusion_head()
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "verify", packs.Pack("two-audio"), "--providers", "cpu");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("schema version 2, clips 4 frames apart", output, StringComparison.Ordinal);
        Assert.Matches(@"visual\s+visual \(video\)\s+faceClip\s+16\s+\[1, 3, 32, 32\]\s+visual\.onnx", output);
        Assert.Matches(@"audio_wave\s+audio \(audio\)\s+waveform\s+24\s+\[1, 1, 2000\]\s+audio_wave\.onnx; imagined from visual by imagine_audio_wave\.onnx", output);
        Assert.Contains("when data is missing: visual black, audio imagine", output, StringComparison.Ordinal);
        Assert.Contains("scores: fusion head fusion.onnx, window 4", output, StringComparison.Ordinal);
        Assert.Contains("valence (regression) [4, 1]: time axis 0, newest of 4", output, StringComparison.Ordinal);
        Assert.Matches(@"imagine\.audio_wave\s+cpu\s+fp32\s+\d\.\d{3}e[-+]\d{2}\s+1e-04\s+ok", output);
        Assert.EndsWith("verify: ok" + Environment.NewLine, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_describes_a_pack_without_fusion_as_json()
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "verify", packs.Pack("solo-visual"), "--json", "--providers", "cpu");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var layout = json.RootElement.GetProperty("layout");
        Assert.Equal(2, layout.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("visual", layout.GetProperty("scores").GetString());
        Assert.Equal(1, layout.GetProperty("window").GetInt32());
        Assert.Equal(JsonValueKind.Null, layout.GetProperty("fusionFile").ValueKind);
        var stream = Assert.Single(layout.GetProperty("streams").EnumerateArray());
        Assert.Equal("faceClip", stream.GetProperty("recipe").GetString());
        Assert.Equal(JsonValueKind.Null, stream.GetProperty("featureDim").ValueKind);
        var outputs = layout.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, outputs[0].GetProperty("timeAxis").ValueKind);
        Assert.Equal(1, outputs[1].GetProperty("timeAxis").GetInt32());
        Assert.Equal(3, outputs[1].GetProperty("timeSteps").GetInt32());
    }

    [Fact]
    public async Task Verify_describes_a_version_1_pack_as_one_stream_per_modality()
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "verify", TestPaths.Pack("pain-tiny"), "--json", "--providers", "cpu");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var layout = json.RootElement.GetProperty("layout");
        Assert.Equal(1, layout.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(["visual", "eda"], layout.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(["faceClip", "eda"], layout.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("recipe").GetString()));
        var level = layout.GetProperty("outputs")[1];
        Assert.Equal(5, level.GetProperty("values").GetInt32());
        Assert.Equal(5, level.GetProperty("timeSteps").GetInt32());
    }
}
