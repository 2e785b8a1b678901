using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Tests;

namespace EdgeEmotion.Runtime.Tests.Golden;

/// <summary>The contract between training and edge: ONNX Runtime in C# reproduces PyTorch.</summary>
public sealed class GoldenParityTests
{
    public static TheoryData<string, string> Models => new()
    {
        { "affect-tiny", "visual" },
        { "affect-tiny", "audio" },
        { "affect-tiny", "fusion" },
        { "pain-tiny", "visual" },
        { "pain-tiny", "eda" },
        { "pain-tiny", "fusion" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_output_equals_the_PyTorch_golden(string pack, string model)
    {
        using var sessions = CpuSessions.Open(TestPaths.Pack(pack));

        var results = GoldenSelfTest.Run(sessions).Where(r => r.Model == model).ToList();

        Assert.NotEmpty(results);
        foreach (var r in results)
        {
            Assert.Null(r.Problem);
            Assert.Equal(1e-4, r.Tolerance);
            Assert.True(r.MaxAbsError <= 1e-4, $"{pack}/{model}: max abs error {r.MaxAbsError:E3} exceeds 1e-4");
            Assert.Equal("cpu", r.Provider);
            Assert.Equal("fp32", r.Precision); // so the FP32 tolerance, not fp16Tolerance, applies
        }
    }

    [Theory]
    [InlineData("affect-tiny")]
    [InlineData("pain-tiny")]
    public void Every_model_of_the_pack_has_a_golden_case(string pack)
    {
        using var sessions = CpuSessions.Open(TestPaths.Pack(pack));

        var covered = GoldenSelfTest.Run(sessions).Select(r => r.Model).ToHashSet();

        Assert.Equal(sessions.All.Select(s => s.Name).ToHashSet(), covered);
    }

    [Fact]
    public void A_wrong_golden_output_fails_the_self_test()
    {
        using var copy = new PackCopy("affect-tiny");
        using var sessions = CpuSessions.Open(copy.Directory);
        var fusionCase = sessions.Pack.Manifest.Golden.Cases.First(c => c.Model == "fusion");
        var file = copy.PathOf(fusionCase.Outputs["valence"]);
        var expected = NpyArray.Read(file);
        expected.Data[3] += 0.01f;
        expected.Write(file);

        var result = GoldenSelfTest.Run(sessions).Single(r => r.Model == "fusion");

        Assert.False(result.Passed);
        Assert.InRange(result.MaxAbsError, 0.009, 0.011);
    }

    [Fact]
    public void Max_abs_error_treats_NaN_as_a_failure()
    {
        Assert.Equal(double.PositiveInfinity, GoldenSelfTest.MaxAbsError([1f, float.NaN], [1f, 2f]));
        Assert.Equal(0.5, GoldenSelfTest.MaxAbsError([1f, 2.5f], [1f, 2f]), 6);
    }
}
