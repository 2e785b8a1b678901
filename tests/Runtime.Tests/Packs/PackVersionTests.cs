using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Tests.Packs;

/// <summary>Pack versions against the examples of the SemVer 2.0 specification (semver.org) and its FAQ regex test lists.</summary>
public sealed class PackVersionTests
{
    [Theory]
    [InlineData("0.0.4")]
    [InlineData("1.2.3")]
    [InlineData("10.20.30")]
    [InlineData("1.1.2-prerelease+meta")]
    [InlineData("1.1.2+meta")]
    [InlineData("1.1.2+meta-valid")]
    [InlineData("1.0.0-alpha")]
    [InlineData("1.0.0-alpha.beta.1")]
    [InlineData("1.0.0-alpha0.valid")]
    [InlineData("1.0.0-alpha.0valid")]
    [InlineData("1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay")]
    [InlineData("1.0.0-rc.1+build.1")]
    [InlineData("10.2.3-DEV-SNAPSHOT")]
    [InlineData("1.2.3-SNAPSHOT-123")]
    [InlineData("2.0.0+build.1848")]
    [InlineData("1.2.3----RC-SNAPSHOT.12.9.1--.12+788")]
    [InlineData("1.0.0+0.build.1-rc.10000aaa-kk-0.1")]
    [InlineData("1.0.0-0A.is.legal")]
    [InlineData("1.0.0+001")] // leading zeros are allowed in build metadata
    public void Valid_versions_parse(string text)
    {
        Assert.True(PackVersion.TryParse(text, out var version));
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3-0123")]
    [InlineData("1.2.3-0123.0123")]
    [InlineData("1.1.2+.123")]
    [InlineData("+invalid")]
    [InlineData("-invalid")]
    [InlineData("alpha")]
    [InlineData("1.2.3.DEV")]
    [InlineData("1.2-SNAPSHOT")]
    [InlineData("1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788")]
    [InlineData("01.1.1")]
    [InlineData("1.01.1")]
    [InlineData("1.1.01")]
    [InlineData("01.0.2")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3.4")]
    [InlineData("v1.0.0")]
    [InlineData(" 1.0.0")]
    [InlineData("1.0.0-")]
    [InlineData("1.0.0-alpha_beta")]
    [InlineData("1.0.0-alpha..1")]
    [InlineData("")]
    [InlineData(null)]
    public void Invalid_versions_are_refused(string? text)
    {
        Assert.False(PackVersion.TryParse(text, out _));
    }

    [Fact]
    public void A_version_longer_than_the_limit_is_refused()
    {
        Assert.False(PackVersion.TryParse("1.0.0-" + new string('a', PackVersion.MaxLength), out _));
    }

    [Fact]
    public void Precedence_follows_the_specification_example()
    {
        // semver.org, item 11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta
        // < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1.
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"];
        for (var i = 0; i < ordered.Length; i++)
        {
            for (var j = 0; j < ordered.Length; j++)
            {
                Assert.Equal(Math.Sign(i.CompareTo(j)), Math.Sign(Compare(ordered[i], ordered[j])));
            }
        }
    }

    [Theory]
    [InlineData("1.10.0", "1.9.0", 1)]
    [InlineData("1.0.0-rc.2", "1.0.0-rc.10", -1)]
    [InlineData("2.0.0+build.5", "2.0.0", 0)]
    [InlineData("2.0.0+build.5", "2.0.0+build.6", 0)]
    public void Build_metadata_does_not_count_and_numbers_compare_as_numbers(string a, string b, int expected)
    {
        Assert.Equal(expected, Math.Sign(Compare(a, b)));
    }

    private static int Compare(string a, string b)
    {
        Assert.True(PackVersion.TryParse(a, out var va));
        Assert.True(PackVersion.TryParse(b, out var vb));
        return PackVersion.Compare(va, vb);
    }
}
