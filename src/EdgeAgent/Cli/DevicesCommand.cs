using System.CommandLine;
using System.Text.Json;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Eda;
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

    // Probes the ADS1115 addresses (0x48-0x4B) on every bus; an answer with the reset config word is an ADS1115.
    private static List<I2cReport> I2cReports() => I2cProbe.List()
        .Select(bus => new I2cReport(bus.DevicePath, Describe(bus)))
        .ToList();

    private static string Describe(I2cBusProbe bus)
    {
        var found = bus.Addresses.Where(a => a.LooksLikeAds1115).Select(a => $"0x{a.Address:X2}").ToList();
        var answered = bus.Addresses.Where(a => a.Answered && !a.LooksLikeAds1115).Select(a => $"0x{a.Address:X2}").ToList();
        return found.Count > 0 ? $"ADS1115 at {string.Join(", ", found)}"
            : answered.Count > 0 ? $"no ADS1115; something answers at {string.Join(", ", answered)}"
            : "no ADS1115 at 0x48-0x4B";
    }
}

internal sealed record CameraReport(string Path, string Name, bool Csi);

internal sealed record CaptureReport(string Name, string Description);

internal sealed record I2cReport(string Device, string Ads1115);

internal sealed record DevicesReport(IReadOnlyList<CameraReport> Cameras, bool CsiPresent, IReadOnlyList<CaptureReport> Microphones, IReadOnlyList<I2cReport> I2cBuses);
