using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>`edgeemo demo` describes, and scripts, dropouts only for the modalities of the pack it runs.</summary>
public sealed class DemoDropoutTests
{
    [Theory]
    [InlineData("affect-tiny", "visual missing 8-15 s, audio silent 26-32 s", "eda")]
    [InlineData("pain-tiny", "visual missing 8-15 s, eda electrode off 26-34 s", "audio")]
    public async Task The_banner_names_only_the_modalities_of_the_pack(string pack, string dropouts, string absent)
    {
        using var broker = await MosquittoBroker.StartAsync();

        var (code, output, error) = await CliRunner.RunAsync("demo", "--pack", TestPaths.Pack(pack), "--broker", broker.Uri.ToString(), "--duration", "1");

        Assert.True(code == 0, error);
        var banner = Assert.Single(output.Split('\n'), l => l.StartsWith($"demo: device demo, pack {pack};", StringComparison.Ordinal));
        Assert.EndsWith($"dropouts every 40 s, the first: {dropouts}", banner.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain(absent, banner, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("affect-tiny", "eda:")]
    [InlineData("pain-tiny", "audio:")]
    public void The_scripted_dropouts_are_those_of_the_pack(string pack, string absent)
    {
        var manifest = ModelPackLoader.Load(TestPaths.Pack(pack)).Manifest;

        var config = DemoSetup.Config("demo", TestPaths.Pack(pack), manifest, new Uri("mqtt://127.0.0.1:1883"), Path.GetTempPath());

        Assert.StartsWith("visual:missing@8-15,", config.Sources.Dropouts, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, config.Sources.Dropouts, StringComparison.Ordinal);
    }
}
