using System.Text.Json;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Sensors.Eda;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

public sealed class CalibrateEdaCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("calibrate-eda-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Simulated_non_interactive_run_saves_a_calibration_and_prints_residuals()
    {
        var path = Path.Combine(folder, "cal", "eda.json");

        var (code, output, error) = await CliRunner.RunAsync("calibrate-eda", "--simulate", "--non-interactive", "--ref", "100k", "--ref", "1M", "--ref", "10M", "--out", path);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", error);
        Assert.Contains("[2/4] Attach the 100k reference resistor", output, StringComparison.Ordinal);
        Assert.Matches(@"100k\s+100k\s+1\.6\d{3}\s+0\.\d{3}\s+\d+(\.\d+)?k\s+[+-]0\.\d\d %", output);
        Assert.Matches(@"10M\s+10M\s+0\.0\d{3}", output);
        Assert.Matches(@"fit: Vs 3\.\d{4} V, Rref \d+(\.\d+)?k, open circuit 0\.00\d\d V, max error 0\.\d\d %", output);
        Assert.EndsWith($"saved {path}{Environment.NewLine}", output, StringComparison.Ordinal);
        var calibration = EdaCalibration.Load(path);
        Assert.Equal("simulated i2c-1/0x48", calibration.Device);
        Assert.InRange(calibration.ReferenceOhms, 99_000, 101_000);
        Assert.InRange(calibration.SupplyVolts, 3.27, 3.33);
    }

    [Fact]
    public async Task Json_output_carries_every_point_and_nothing_else_on_stdout()
    {
        var path = Path.Combine(folder, "eda.json");

        var (code, output, error) = await CliRunner.RunAsync("calibrate-eda", "--simulate", "--non-interactive", "--json", "--ref", "100k", "1M", "2.2M", "--samples", "16", "--gain", "4.096", "--rate", "860", "--out", path);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("[1/4] Leave the electrode leads open", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(path, root.GetProperty("file").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("refusal").ValueKind);
        var points = root.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(["open circuit", "100k", "1M", "2.2M"], points.Select(p => p.GetProperty("name").GetString()));
        Assert.All(points.Skip(1), p =>
        {
            Assert.InRange(Math.Abs(p.GetProperty("errorPercent").GetDouble()), 0, 2);
            Assert.Equal(16, p.GetProperty("samples").GetInt32());
            Assert.False(p.GetProperty("saturated").GetBoolean());
        });
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task A_refused_fit_exits_1_with_the_reason_and_writes_nothing()
    {
        var path = Path.Combine(folder, "eda.json");

        // 10k over 100k from 3.3 V is 3.0 V: past the ±2.048 V range.
        var (code, _, error) = await CliRunner.RunAsync("calibrate-eda", "--simulate", "--non-interactive", "--gain", "2.048", "--ref", "10k", "--ref", "1M", "--out", path);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("error: calibration refused: reference 10k reads at the rail", error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Without_an_i2c_bus_it_says_so_in_one_line_and_exits_1()
    {
        // Bus 250 exists on no Jetson nor on this machine.
        Assert.False(File.Exists("/dev/i2c-250"));
        var (code, output, error) = await CliRunner.RunAsync("calibrate-eda", "--bus", "250", "--non-interactive", "--out", Path.Combine(folder, "eda.json"));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("", output);
        Assert.Equal($"error: no I2C bus /dev/i2c-250 on this machine (list buses with `i2cdetect -l`; --simulate calibrates a simulated ADS1115){Environment.NewLine}", error);
    }

    [Theory]
    [InlineData("--address", "0x20", "error: --address 0x20 is not an ADS1115 address")]
    [InlineData("--gain", "3.3", "error: --gain 3.3 is not an ADS1115 range")]
    [InlineData("--rate", "100", "error: --rate 100 is not an ADS1115 data rate")]
    [InlineData("--ref", "lots", "error: --ref lots is not a resistance")]
    public async Task Bad_arguments_exit_2_naming_the_option(string option, string value, string message)
    {
        var (code, _, error) = await CliRunner.RunAsync("calibrate-eda", "--simulate", "--non-interactive", option, value, "--out", Path.Combine(folder, "eda.json"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }
}
