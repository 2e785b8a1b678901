using System.CommandLine;
using System.Text.Json;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Microphone;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo devices [--json]</c>: the cameras, capture devices and I2C buses this machine has, so
/// a technician can fill the config. A machine with none says so and exits 0.
/// </summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("devices", "List cameras (CSI/V4L2), ALSA capture devices and I2C buses with an ADS1115") { json };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var cameras = CameraDevices.List();
            var report = new DevicesReport(
                cameras.Select(c => new CameraReport(c.Path, c.Name, c.LooksLikeCsi)).ToList(),
                CameraDevices.CsiCameraPresent(cameras),
                AlsaDevices.ListCapture().Select(d => new CaptureReport(d.Name, d.Description)).ToList(),
                I2cReports());
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.DevicesReport));
                return ExitCodes.Ok;
            }

            output.WriteLine(report.Cameras.Count == 0
                ? "cameras: none (no /dev/video*)"
                : "cameras:\n" + string.Join('\n', report.Cameras.Select(c => $"  {c.Path,-14} {c.Name}{(c.Csi ? "  (CSI)" : "")}")));
            if (report.CsiPresent && report.Cameras.All(c => !c.Csi))
            {
                output.WriteLine("  a CSI camera is described by the device tree (read it through nvarguscamerasrc)");
            }

            output.WriteLine(report.Microphones.Count == 0
                ? "microphones: none (no ALSA capture device in /proc/asound)"
                : "microphones:\n" + string.Join('\n', report.Microphones.Select(m => $"  {m.Name,-22} {m.Description}")));
            output.WriteLine(report.I2cBuses.Count == 0
                ? "i2c: none (no /dev/i2c-*)"
                : "i2c:\n" + string.Join('\n', report.I2cBuses.Select(b => $"  {b.Device,-14} {b.Ads1115}")));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<I2cReport> I2cReports() =>
        Directory.Exists("/dev")
            ? Directory.EnumerateFiles("/dev", "i2c-*").Order(StringComparer.Ordinal).Select(d => new I2cReport(d, "not probed")).ToList()
            : [];
}

internal sealed record CameraReport(string Path, string Name, bool Csi);

internal sealed record CaptureReport(string Name, string Description);

internal sealed record I2cReport(string Device, string Ads1115);

internal sealed record DevicesReport(IReadOnlyList<CameraReport> Cameras, bool CsiPresent, IReadOnlyList<CaptureReport> Microphones, IReadOnlyList<I2cReport> I2cBuses);
