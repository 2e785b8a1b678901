using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>`edgeemo devices` on a machine without sensors (like this one) says so and exits 0.</summary>
public sealed class DevicesCommandTests
{
    [Fact]
    public async Task Lists_each_kind_of_device_or_says_there_is_none()
    {
        var (code, output, error) = await CliRunner.RunAsync("devices");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Matches("(?m)^cameras: ", output);
        Assert.Matches("(?m)^microphones: ", output);
        Assert.Matches("(?m)^i2c: ", output);
    }

    [Fact]
    public async Task Json_has_every_section()
    {
        var (code, output, _) = await CliRunner.RunAsync("devices", "--json");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        foreach (var section in new[] { "cameras", "microphones", "i2cBuses" })
        {
            Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty(section).ValueKind);
        }
    }
}
