using System.Globalization;

namespace EdgeEmotion.Sensors.Eda;

/// <summary>
/// Fits <see cref="EdaCalibration"/> from an open-circuit reading and two or more reference
/// resistors, or refuses with the reason. With V' = V - Voc the divider gives
/// 1/V' = 1/Vs + R/(Vs·Rref): a straight line in R, fitted by least squares weighted by V'^2 so
/// every point counts by its relative error. Intercept and slope give Vs and Rref.
/// </summary>
public static class EdaCalibrationFit
{
    /// <summary>The most a reference may be off from its nominal value once fitted.</summary>
    public const double MaxErrorPercent = 2.0;

    /// <summary>A reference reading must stand this many counts above the open circuit.</summary>
    public const int MinCountsAboveOpenCircuit = 16;

    public static EdaCalibration Fit(
        EdaCalibrationReading openCircuit,
        IReadOnlyList<EdaCalibrationReading> references,
        string device,
        InputMultiplexer input,
        ProgrammableGain gain,
        DataRate dataRate,
        DateTimeOffset createdUtc)
    {
        ArgumentNullException.ThrowIfNull(openCircuit);
        ArgumentNullException.ThrowIfNull(references);
        var countVolts = Ads1115Registers.FullScaleVolts(gain) / 32768.0;
        var (supply, reference, points) = FitPoints(openCircuit, references, countVolts);
        return new EdaCalibration
        {
            Device = device,
            CreatedUtc = createdUtc,
            Input = input,
            Gain = gain,
            DataRate = dataRate,
            OpenCircuitVolts = openCircuit.Volts,
            SupplyVolts = supply,
            ReferenceOhms = reference,
            MaxErrorPercent = points.Skip(1).Max(p => Math.Abs(p.ErrorPercent ?? 0)),
            Points = points,
        };
    }

    /// <summary>The checks and the fit; throws <see cref="EdaCalibrationException"/> with the reason.</summary>
    internal static (double Supply, double Reference, IReadOnlyList<EdaCalibrationPoint> Points) FitPoints(
        EdaCalibrationReading openCircuit, IReadOnlyList<EdaCalibrationReading> references, double countVolts)
    {
        if (references.Count < 2)
        {
            throw new EdaCalibrationException($"needs the open circuit and at least 2 reference resistors; got {references.Count} ({string.Join(", ", references.Select(r => r.Name))})");
        }

        if (references.Any(r => r.NominalOhms is not > 0 || !double.IsFinite(r.NominalOhms.Value)))
        {
            throw new EdaCalibrationException("every reference needs a positive, finite nominal resistance");
        }

        if (references.Select(r => r.NominalOhms).Distinct().Count() != references.Count)
        {
            throw new EdaCalibrationException($"reference values repeat ({string.Join(", ", references.Select(r => r.Name))}): use distinct resistors");
        }

        if (openCircuit.Saturated)
        {
            throw new EdaCalibrationException($"the open circuit reads at the rail ({Format(openCircuit.Volts)} V): the input is floating or shorted to Vcc; check the reference resistor to ground");
        }

        foreach (var r in references.Where(r => r.Saturated))
        {
            throw new EdaCalibrationException($"reference {r.Name} reads at the rail ({Format(r.Volts)} V): choose a larger gain range (--gain) or a smaller Rref");
        }

        var sorted = references.OrderBy(r => r.NominalOhms).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Volts >= sorted[i - 1].Volts)
            {
                throw new EdaCalibrationException(
                    $"readings are not monotonic: {sorted[i].Name} reads {Format(sorted[i].Volts)} V but the smaller {sorted[i - 1].Name} reads {Format(sorted[i - 1].Volts)} V; were the references swapped?");
            }
        }

        foreach (var r in sorted.Where(r => r.Volts - openCircuit.Volts < MinCountsAboveOpenCircuit * countVolts))
        {
            throw new EdaCalibrationException(
                $"reference {r.Name} reads {Format(r.Volts)} V, indistinguishable from the open circuit ({Format(openCircuit.Volts)} V): is it attached? Or choose a smaller resistor or a finer gain");
        }

        // Weighted least squares of y = 1/V' on x = R with weights V'^2 (relative errors).
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var r in sorted)
        {
            var v = r.Volts - openCircuit.Volts;
            var w = v * v;
            var x = r.NominalOhms!.Value;
            var y = 1 / v;
            sw += w;
            sx += w * x;
            sy += w * y;
            sxx += w * x * x;
            sxy += w * x * y;
        }

        var denominator = (sw * sxx) - (sx * sx);
        var slope = ((sw * sxy) - (sx * sy)) / denominator;
        var intercept = (sy - (slope * sx)) / sw;
        if (!(intercept > 0 && slope > 0) || !double.IsFinite(intercept) || !double.IsFinite(slope))
        {
            throw new EdaCalibrationException(
                $"the readings do not fit a divider (intercept {intercept:G3} 1/V, slope {slope:G3} 1/(V·ohm)): check the wiring (skin on top to Vcc, Rref to ground, AIN at the junction)");
        }

        var supply = 1 / intercept;
        var reference = intercept / slope;
        var points = new List<EdaCalibrationPoint> { openCircuit.ToPoint() };
        foreach (var r in references)
        {
            var v = r.Volts - openCircuit.Volts;
            var fitted = reference * (supply - v) / v;
            var error = 100 * (fitted - r.NominalOhms!.Value) / r.NominalOhms.Value;
            points.Add(r.ToPoint() with { FittedOhms = fitted, ErrorPercent = error });
        }

        var worst = points.Skip(1).MaxBy(p => Math.Abs(p.ErrorPercent!.Value))!;
        if (Math.Abs(worst.ErrorPercent!.Value) > MaxErrorPercent)
        {
            throw new EdaCalibrationException(
                $"fit residual too large: {worst.Name} comes out at {Ohms.Format(worst.FittedOhms!.Value)} ({worst.ErrorPercent.Value:+0.00;-0.00;0.00} %), limit {MaxErrorPercent} %; check the resistor values and contacts, then repeat");
        }

        return (supply, reference, points);
    }

    private static string Format(double volts) => volts.ToString("F4", CultureInfo.InvariantCulture);
}
