using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeEmotion.Sensors.Eda;

/// <summary>
/// Per-device conversion from ADC volts to skin conductance, for a divider with the skin on
/// top and a reference resistor to ground. The model is the divider itself with two fitted
/// constants and the measured open-circuit offset:
/// <code>V' = V - OpenCircuitVolts;  G[uS] = 1e6 · V' / (ReferenceOhms · (SupplyVolts - V'))</code>
/// <see cref="SupplyVolts"/> is the effective Vcc as the ADC sees it (absorbs gain error and the
/// supply's actual value), <see cref="ReferenceOhms"/> the effective Rref (absorbs its
/// tolerance). <see cref="EdaCalibrationFit"/> fits both from at least two known resistors.
/// </summary>
public sealed record EdaCalibration
{
    /// <summary>Where the agent looks for the calibration on a device.</summary>
    public const string DefaultPath = "/var/lib/edgeemo/calibration/eda.json";

    /// <summary>Reported for a reading at the rail (clipped input): above any pack's valid range.</summary>
    public const double SaturatedMicrosiemens = 1000;

    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Which ADC this belongs to ("i2c-1/0x48" or "simulated i2c-1/0x48").</summary>
    public required string Device { get; init; }

    public required DateTimeOffset CreatedUtc { get; init; }

    public required InputMultiplexer Input { get; init; }

    public required ProgrammableGain Gain { get; init; }

    public required DataRate DataRate { get; init; }

    public required double OpenCircuitVolts { get; init; }

    public required double SupplyVolts { get; init; }

    public required double ReferenceOhms { get; init; }

    /// <summary>Worst |error| over the reference points, in percent.</summary>
    public required double MaxErrorPercent { get; init; }

    public required IReadOnlyList<EdaCalibrationPoint> Points { get; init; }

    /// <summary>Conductance in microsiemens: 0 for an open circuit, <see cref="SaturatedMicrosiemens"/> at or past Vcc.</summary>
    public double ToMicrosiemens(double volts)
    {
        var above = volts - OpenCircuitVolts;
        if (above <= 0)
        {
            return 0;
        }

        if (above >= SupplyVolts)
        {
            return SaturatedMicrosiemens;
        }

        return Math.Min(1e6 * above / (ReferenceOhms * (SupplyVolts - above)), SaturatedMicrosiemens);
    }

    /// <summary>The load resistance the model infers from a reading (PositiveInfinity for open circuit).</summary>
    public double ToOhms(double volts)
    {
        var above = volts - OpenCircuitVolts;
        return above <= 0 ? double.PositiveInfinity : ReferenceOhms * (SupplyVolts - above) / above;
    }

    /// <summary>Writes the calibration atomically: temp file in the same folder, fsync, rename.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, this, EdaCalibrationJsonContext.Default.EdaCalibration);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Reads a calibration; <see cref="EdaCalibrationException"/> says what is wrong and where.</summary>
    public static EdaCalibration Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EdaCalibration? calibration;
        try
        {
            using var stream = File.OpenRead(path);
            calibration = JsonSerializer.Deserialize(stream, EdaCalibrationJsonContext.Default.EdaCalibration);
        }
        catch (FileNotFoundException e)
        {
            throw new EdaCalibrationException($"EDA calibration {path} does not exist: run `edgeemo calibrate-eda` on this device first", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new EdaCalibrationException($"EDA calibration {path} does not exist: run `edgeemo calibrate-eda` on this device first", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new EdaCalibrationException($"EDA calibration {path} cannot be read: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new EdaCalibrationException($"EDA calibration {path} is not valid calibration JSON: {e.Message}", e);
        }

        if (calibration is null)
        {
            throw new EdaCalibrationException($"EDA calibration {path} is empty (null)");
        }

        if (calibration.Version != CurrentVersion)
        {
            throw new EdaCalibrationException($"EDA calibration {path} has version {calibration.Version}; this agent reads version {CurrentVersion}");
        }

        if (!(calibration.SupplyVolts > 0 && double.IsFinite(calibration.SupplyVolts)) || !(calibration.ReferenceOhms > 0 && double.IsFinite(calibration.ReferenceOhms)))
        {
            throw new EdaCalibrationException($"EDA calibration {path}: supplyVolts and referenceOhms must be positive (got {calibration.SupplyVolts}, {calibration.ReferenceOhms})");
        }

        return calibration;
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(EdaCalibration))]
internal sealed partial class EdaCalibrationJsonContext : JsonSerializerContext;
