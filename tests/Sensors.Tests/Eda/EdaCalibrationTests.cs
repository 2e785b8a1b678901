using EdgeEmotion.Sensors.Eda;
using Xunit.Abstractions;

namespace EdgeEmotion.Sensors.Tests.Eda;

public sealed class EdaCalibrationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("eda-cal-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(50_000)]
    [InlineData(220_000)]
    [InlineData(2_200_000)]
    public async Task A_calibrated_divider_recovers_known_skin_resistances_within_2_percent(double skinOhms)
    {
        var rig = new SimulatedEdaRig();
        var report = await rig.CalibrateAsync(100_000, 1_000_000, 10_000_000);
        Assert.True(report.Ok, report.Refusal);
        var calibration = report.Calibration!;

        rig.FrontEnd.LoadOhms = skinOhms;
        var volts = rig.MeanVolts();
        var recovered = calibration.ToOhms(volts);
        var error = 100 * (recovered - skinOhms) / skinOhms;
        output.WriteLine($"skin {skinOhms:F0} ohm -> {recovered:F0} ohm ({error:+0.000;-0.000} %), {calibration.ToMicrosiemens(volts):F4} uS vs {1e6 / skinOhms:F4} uS; fit Vs {calibration.SupplyVolts:F4} V Rref {calibration.ReferenceOhms:F0}, max ref error {calibration.MaxErrorPercent:F3} %");

        Assert.InRange(Math.Abs(error), 0, 2);
        Assert.InRange(calibration.ToMicrosiemens(volts), 1e6 / skinOhms * 0.98, 1e6 / skinOhms * 1.02);
        Assert.InRange(calibration.ReferenceOhms, 98_700 * 0.99, 98_700 * 1.01); // the real resistor, not its 100k label
    }

    [Fact]
    public async Task The_report_gives_per_point_residuals_noise_and_saturation_flags()
    {
        var rig = new SimulatedEdaRig();

        var report = await rig.CalibrateAsync(100_000, 1_000_000, 10_000_000);

        Assert.Equal(["open circuit", "100k", "1M", "10M"], report.Points.Select(p => p.Name));
        Assert.Null(report.Points[0].ErrorPercent);
        Assert.All(report.Points.Skip(1), p =>
        {
            Assert.InRange(Math.Abs(p.ErrorPercent!.Value), 0, 0.5);
            Assert.NotNull(p.FittedOhms);
        });
        Assert.All(report.Points, p =>
        {
            Assert.InRange(p.NoiseVolts, 0.0001, 0.0006); // the front end's 0.3 mV, quantised at 125 uV
            Assert.False(p.Saturated);
            Assert.Equal(32, p.Samples);
        });
        Assert.InRange(report.Points[0].Volts, 0.001, 0.002); // the offset the model adds
    }

    [Fact]
    public async Task Swapped_references_are_refused_as_non_monotonic()
    {
        var rig = new SimulatedEdaRig();
        var swapped = new SimulatedEdaRig.AttachAsAsked(rig.FrontEnd, ohms => ohms switch { 100_000 => 1_000_000, 1_000_000 => 100_000, _ => ohms });

        var report = await rig.CalibrateAsync(swapped, 100_000, 1_000_000, 10_000_000);

        Assert.False(report.Ok);
        Assert.Contains("not monotonic", report.Refusal, StringComparison.Ordinal);
        Assert.Contains("swapped", report.Refusal, StringComparison.Ordinal);
        Assert.Equal(4, report.Points.Count);
    }

    [Fact]
    public async Task Fewer_than_two_references_are_refused()
    {
        var report = await new SimulatedEdaRig().CalibrateAsync(100_000);

        Assert.False(report.Ok);
        Assert.Contains("at least 2 reference resistors; got 1", report.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reference_that_was_never_attached_is_refused()
    {
        var rig = new SimulatedEdaRig();
        var forgot = new SimulatedEdaRig.AttachAsAsked(rig.FrontEnd, ohms => ohms == 1_000_000 ? null : ohms);

        var report = await rig.CalibrateAsync(forgot, 100_000, 1_000_000);

        Assert.False(report.Ok);
        Assert.Contains("1M reads", report.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reference_at_the_rail_is_refused_and_flagged()
    {
        // 10k over 98.7k from 3.28 V is 2.98 V: past the ±2.048 V range.
        var rig = new SimulatedEdaRig(Sensors.Eda.ProgrammableGain.FullScale2048mV);

        var report = await rig.CalibrateAsync(10_000, 100_000, 1_000_000);

        Assert.False(report.Ok);
        Assert.Contains("reference 10k reads at the rail", report.Refusal, StringComparison.Ordinal);
        Assert.True(report.Points.Single(p => p.Name == "10k").Saturated);
    }

    [Fact]
    public async Task A_fit_with_a_residual_over_2_percent_is_refused()
    {
        var rig = new SimulatedEdaRig();
        var mislabelled = new SimulatedEdaRig.AttachAsAsked(rig.FrontEnd, ohms => ohms == 1_000_000 ? 1_150_000 : ohms);

        var report = await rig.CalibrateAsync(mislabelled, 100_000, 1_000_000, 10_000_000);

        Assert.False(report.Ok);
        Assert.Contains("fit residual too large", report.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_circuit_reads_zero_and_a_reading_past_the_supply_saturates()
    {
        var calibration = (await new SimulatedEdaRig().CalibrateAsync(100_000, 1_000_000)).Calibration!;

        Assert.Equal(0, calibration.ToMicrosiemens(calibration.OpenCircuitVolts));
        Assert.Equal(0, calibration.ToMicrosiemens(0));
        Assert.Equal(EdaCalibration.SaturatedMicrosiemens, calibration.ToMicrosiemens(calibration.OpenCircuitVolts + calibration.SupplyVolts + 0.1));
    }

    [Fact]
    public async Task Save_is_atomic_and_load_round_trips()
    {
        var calibration = (await new SimulatedEdaRig().CalibrateAsync(100_000, 1_000_000, 10_000_000)).Calibration!;
        var path = Path.Combine(folder, "calibration", "eda.json");

        calibration.Save(path);
        calibration.Save(path); // replaces
        var loaded = EdaCalibration.Load(path);

        Assert.Equal(["eda.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        Assert.Equal(calibration.ReferenceOhms, loaded.ReferenceOhms);
        Assert.Equal(calibration.SupplyVolts, loaded.SupplyVolts);
        Assert.Equal(calibration.Points, loaded.Points);
        Assert.Contains("\"gain\": \"FullScale4096mV\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_errors_name_the_file_and_the_problem()
    {
        var missing = Path.Combine(folder, "nope.json");
        var broken = Path.Combine(folder, "broken.json");
        File.WriteAllText(broken, "{ \"version\": 1, ");
        var incomplete = Path.Combine(folder, "incomplete.json");
        File.WriteAllText(incomplete, "{ \"version\": 1 }");

        Assert.Contains("does not exist: run `edgeemo calibrate-eda`", Assert.Throws<EdaCalibrationException>(() => EdaCalibration.Load(missing)).Message, StringComparison.Ordinal);
        Assert.StartsWith($"EDA calibration {broken} is not valid calibration JSON", Assert.Throws<EdaCalibrationException>(() => EdaCalibration.Load(broken)).Message, StringComparison.Ordinal);
        Assert.Contains("is not valid calibration JSON", Assert.Throws<EdaCalibrationException>(() => EdaCalibration.Load(incomplete)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100k", 100_000)]
    [InlineData("2.2M", 2_200_000)]
    [InlineData("4k7", 4_700)]
    [InlineData("470", 470)]
    [InlineData("1M ohm", 1_000_000)]
    public void Resistances_parse_as_people_write_them(string text, double ohms)
    {
        Assert.True(Ohms.TryParse(text, out var parsed));
        Assert.Equal(ohms, parsed, 6);
    }
}
