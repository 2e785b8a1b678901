using EdgeEmotion.EdgeAgent.Evaluation;

namespace EdgeEmotion.EdgeAgent.Tests.Evaluation;

public sealed class ConcordanceCorrelationTests
{
    [Fact]
    public void A_series_with_itself_is_1_and_with_its_negation_minus_1()
    {
        double[] x = [0.1, -0.4, 0.7, 0.2, -0.9, 0.3]; // mean 0: the negation is then a mirror image

        Assert.Equal(1, ConcordanceCorrelation.Compute(x, x).Value!.Value, 12);
        Assert.Equal(-1, ConcordanceCorrelation.Compute(x, x.Select(v => -v).ToArray()).Value!.Value, 12);
    }

    [Fact]
    public void The_negation_of_a_series_off_zero_is_not_minus_1_the_means_disagree()
    {
        // x = 1,2,3 against -1,-2,-3: variances 2/3, covariance -2/3, means 2 and -2;
        // CCC = 2(-2/3) / (2/3 + 2/3 + 16) = (-4/3) / (52/3) = -1/13.
        Assert.Equal(-1.0 / 13, ConcordanceCorrelation.Compute([1, 2, 3], [-1, -2, -3]).Value!.Value, 12);
    }

    [Fact]
    public void A_scaled_copy_by_hand()
    {
        // x = 1,2,3; y = 2,4,6: means 2 and 4, population variances 2/3 and 8/3, covariance 4/3;
        // CCC = 2(4/3) / (2/3 + 8/3 + (2-4)^2) = (8/3) / (22/3) = 8/22.
        var ccc = ConcordanceCorrelation.Compute([1, 2, 3], [2, 4, 6]);

        Assert.Equal(8.0 / 22, ccc.Value!.Value, 12);
    }

    [Fact]
    public void Equal_means_by_hand()
    {
        // x = 1,2,3,4; y = 1,3,2,4: means 2.5, variances 1.25, covariance (2.25-0.25-0.25+2.25)/4 = 1;
        // CCC = 2 / (1.25 + 1.25) = 0.8 (Pearson would be 0.8 too: the means and spreads agree).
        var ccc = ConcordanceCorrelation.Compute([1, 2, 3, 4], [1, 3, 2, 4]);

        Assert.Equal(0.8, ccc.Value!.Value, 12);
    }

    [Fact]
    public void Constant_series_that_differ_are_0_and_the_same_constant_is_undefined_not_NaN()
    {
        Assert.Equal(0, ConcordanceCorrelation.Compute([1, 1, 1], [2, 2, 2]).Value);

        var same = ConcordanceCorrelation.Compute([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
        Assert.Null(same.Value);
        Assert.Contains("same constant", same.Undefined, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_than_two_frames_is_undefined()
    {
        Assert.Null(ConcordanceCorrelation.Compute([], []).Value);
        Assert.Contains("at least 2", ConcordanceCorrelation.Compute([0.3], [0.1]).Undefined, StringComparison.Ordinal);
    }

    [Fact]
    public void Series_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ConcordanceCorrelation.Compute([1, 2], [1, 2, 3]));
    }
}
