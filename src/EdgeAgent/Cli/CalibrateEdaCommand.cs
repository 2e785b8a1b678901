using System.CommandLine;
using System.Device.I2c;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Eda.Simulation;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo calibrate-eda</c>: the technician attaches the open circuit and each reference
/// resistor in turn; the fit is saved as the device's EDA calibration. Exit codes: 0 saved;
/// 1 no I2C bus / device not answering / fit refused / file not written; 2 bad arguments.
/// </summary>
internal static class CalibrateEdaCommand
{
    /// <summary>The simulated front end of <c>--simulate</c>: 3.3 V, 100k to ground, 0.3 mV noise, 2 mV offset.</summary>
    internal static EdaFrontEndModel SimulatedFrontEnd() => EdaFrontEndModel.SimulatedBench();

    public static Command Create()
    {
        var bus = new Option<int>("--bus") { Description = "I2C bus number (/dev/i2c-N)", DefaultValueFactory = _ => 1 };
        var address = new Option<string>("--address") { Description = "ADS1115 address, 0x48-0x4B", DefaultValueFactory = _ => "0x48" };
        var gain = new Option<double>("--gain") { Description = "Full-scale range in volts: 6.144, 4.096, 2.048, 1.024, 0.512, 0.256", DefaultValueFactory = _ => 4.096 };
        var rate = new Option<int>("--rate") { Description = "ADC data rate in SPS: 8, 16, 32, 64, 128, 250, 475, 860", DefaultValueFactory = _ => 128 };
        var samples = new Option<int>("--samples") { Description = "Readings averaged per step", DefaultValueFactory = _ => 32 };
        var references = new Option<string[]>("--ref")
        {
            Description = "A reference resistor (100k, 1M, 4k7, 2.2M); give two or more (default 100k 1M 10M)",
            AllowMultipleArgumentsPerToken = true,
        };
        var nonInteractive = new Option<bool>("--non-interactive") { Description = "Do not wait for Enter between steps" };
        var output = new Option<string>("--out") { Description = "Where to save the calibration", DefaultValueFactory = _ => EdaCalibration.DefaultPath };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var simulate = new Option<bool>("--simulate") { Description = "Calibrate a simulated ADS1115 and divider front end whose references match --ref" };
        var command = new Command("calibrate-eda", "Calibrate the EDA input: open circuit plus known reference resistors, fitted and saved")
        {
            bus, address, gain, rate, samples, references, nonInteractive, output, json, simulate,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var stdout = result.InvocationConfiguration.Output;
            var stderr = result.InvocationConfiguration.Error;
            var busId = result.GetValue(bus);
            if (!TryParseAddress(result.GetValue(address), out var addr))
            {
                stderr.WriteLine($"error: --address {result.GetValue(address)} is not an ADS1115 address (0x48-0x4B)");
                return ExitCodes.Usage;
            }

            if (!Ads1115Registers.TryGainOf(result.GetValue(gain), out var pga))
            {
                stderr.WriteLine($"error: --gain {result.GetValue(gain).ToString(CultureInfo.InvariantCulture)} is not an ADS1115 range (6.144, 4.096, 2.048, 1.024, 0.512, 0.256)");
                return ExitCodes.Usage;
            }

            if (!Ads1115Registers.TryRateOf(result.GetValue(rate), out var dataRate))
            {
                stderr.WriteLine($"error: --rate {result.GetValue(rate)} is not an ADS1115 data rate (8, 16, 32, 64, 128, 250, 475, 860)");
                return ExitCodes.Usage;
            }

            var count = result.GetValue(samples);
            if (count is < 2 or > 10_000)
            {
                stderr.WriteLine($"error: --samples {count} must be in [2, 10000]");
                return ExitCodes.Usage;
            }

            var refTexts = result.GetValue(references) is { Length: > 0 } given ? given : ["100k", "1M", "10M"];
            var refOhms = new List<double>();
            foreach (var text in refTexts)
            {
                if (!Ohms.TryParse(text, out var ohms))
                {
                    stderr.WriteLine($"error: --ref {text} is not a resistance (write 100k, 1M, 4k7, 470)");
                    return ExitCodes.Usage;
                }

                refOhms.Add(ohms);
            }

            var isSimulated = result.GetValue(simulate);
            var asJson = result.GetValue(json);
            var device = $"{(isSimulated ? "simulated " : "")}i2c-{busId}/0x{addr:X2}";
            var frontEnd = isSimulated ? SimulatedFrontEnd() : null;
            I2cDevice i2c;
            if (frontEnd is not null)
            {
                i2c = new Ads1115Simulator(frontEnd, busId, addr);
            }
            else
            {
                var path = $"/dev/i2c-{busId}";
                if (!File.Exists(path))
                {
                    stderr.WriteLine($"error: no I2C bus {path} on this machine (list buses with `i2cdetect -l`; --simulate calibrates a simulated ADS1115)");
                    return ExitCodes.Failed;
                }

                try
                {
                    i2c = I2cDevice.Create(new I2cConnectionSettings(busId, addr));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"error: cannot open I2C bus {path}: {e.Message} (is this user in the i2c group?)");
                    return ExitCodes.Failed;
                }
            }

            using var adc = new Ads1115(i2c, InputMultiplexer.Ain0Gnd, pga, dataRate);
            var prompt = new ConsolePrompt(asJson ? stderr : stdout, !result.GetValue(nonInteractive), frontEnd);
            var calibrator = new EdaCalibrator(adc, prompt, count);
            EdaCalibrationReport report;
            try
            {
                report = await calibrator.RunAsync(refOhms, device, cancellationToken);
            }
            catch (Ads1115Exception e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }

            var outPath = Path.GetFullPath(result.GetValue(output)!);
            string? saveError = null;
            if (report.Calibration is { } calibration)
            {
                try
                {
                    calibration.Save(outPath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    saveError = $"cannot write {outPath}: {e.Message}";
                }
            }

            if (asJson)
            {
                var c = report.Calibration;
                var entry = new CalibrateEdaReport(report.Ok && saveError is null, device, c is null || saveError is not null ? null : outPath,
                    report.Refusal ?? saveError, c?.SupplyVolts, c?.ReferenceOhms, c?.OpenCircuitVolts, c?.MaxErrorPercent, report.Points);
                stdout.WriteLine(JsonSerializer.Serialize(entry, CliJsonContext.Default.CalibrateEdaReport));
            }
            else
            {
                WriteHuman(stdout, report);
            }

            if (report.Refusal is not null)
            {
                stderr.WriteLine($"error: calibration refused: {report.Refusal}");
                return ExitCodes.Failed;
            }

            if (saveError is not null)
            {
                stderr.WriteLine($"error: {saveError}");
                return ExitCodes.Failed;
            }

            if (!asJson)
            {
                stdout.WriteLine($"saved {outPath}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static bool TryParseAddress(string? text, out int address)
    {
        address = 0;
        var ok = text is not null && (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out address)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out address));
        return ok && address is >= 0x48 and <= 0x4B;
    }

    private static void WriteHuman(TextWriter output, EdaCalibrationReport report)
    {
        output.WriteLine($"{"step",-14} {"nominal",9} {"volts",9} {"noise mV",9} {"fitted",9} {"error",9}  flags");
        foreach (var p in report.Points)
        {
            var nominal = p.NominalOhms is { } n ? Ohms.Format(n) : "open";
            var fitted = p.FittedOhms is { } f ? Ohms.Format(f) : "";
            var error = p.ErrorPercent is { } e ? string.Create(CultureInfo.InvariantCulture, $"{e:+0.00;-0.00;0.00} %") : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{p.Name,-14} {nominal,9} {p.Volts,9:F4} {p.NoiseVolts * 1000,9:F3} {fitted,9} {error,9}  {(p.Saturated ? "saturated" : "")}"));
        }

        if (report.Calibration is { } c)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fit: Vs {c.SupplyVolts:F4} V, Rref {Ohms.Format(c.ReferenceOhms)}, open circuit {c.OpenCircuitVolts:F4} V, max error {c.MaxErrorPercent:F2} %"));
        }
    }

    /// <summary>Prints each step; waits for Enter when interactive; under --simulate attaches the step's load to the model.</summary>
    private sealed class ConsolePrompt(TextWriter output, bool interactive, EdaFrontEndModel? frontEnd) : ICalibrationPrompt
    {
        public async ValueTask ReadyAsync(CalibrationStep calibrationStep, CancellationToken cancellationToken)
        {
            if (frontEnd is not null)
            {
                frontEnd.LoadOhms = calibrationStep.NominalOhms ?? double.PositiveInfinity;
            }

            if (interactive)
            {
                await output.WriteLineAsync($"{calibrationStep.Instruction}, then press Enter");
                await output.FlushAsync(cancellationToken);
                _ = await Console.In.ReadLineAsync(cancellationToken);
            }
            else
            {
                await output.WriteLineAsync(calibrationStep.Instruction);
            }
        }
    }
}
