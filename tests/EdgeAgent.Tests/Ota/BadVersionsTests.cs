using EdgeEmotion.EdgeAgent.Ota;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

/// <summary>The bad list keys on what a bundle is (signed pack id and version, bundle sha256) and survives files of the wrong shape.</summary>
public sealed class BadVersionsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-bad-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_marked_pack_is_found_by_its_id_and_version_and_by_its_bundle_sha256()
    {
        var bad = new BadVersions(folder);
        var sha = new string('c', 64);

        bad.Mark(new BadVersion("affect-tiny", "1.0.1", sha, "health gate"));

        Assert.NotNull(bad.FindPack("affect-tiny", "1.0.1", out _));
        Assert.Null(bad.FindPack("pain-tiny", "1.0.1", out _));
        Assert.Null(bad.FindPack("affect-tiny", "1.0.1-retry", out _));
        Assert.Equal("health gate", bad.FindBundle(sha.ToUpperInvariant(), out _)?.Reason);
        Assert.Null(bad.FindBundle(new string('d', 64), out _));
    }

    [Fact]
    public void The_older_file_of_version_to_reason_is_still_read()
    {
        File.WriteAllText(Path.Combine(folder, "ota-bad.json"), "{\"1.0.1\": \"health gate\"}");
        var bad = new BadVersions(folder);

        Assert.Equal("health gate", bad.FindPack("any-pack", "1.0.1", out var problem)?.Reason);
        Assert.Null(problem);

        bad.Mark(new BadVersion("affect-tiny", "1.0.2", null, "did not start"));
        Assert.NotNull(bad.FindPack("any-pack", "1.0.1", out _));
        Assert.NotNull(bad.FindPack("affect-tiny", "1.0.2", out _));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[42]")]
    [InlineData("[{\"version\": 5}]")]
    [InlineData("{\"1.0.1\": 5}")]
    [InlineData("not json")]
    public void A_file_of_the_wrong_shape_is_named_and_kept_when_a_version_is_marked(string content)
    {
        var path = Path.Combine(folder, "ota-bad.json");
        File.WriteAllText(path, content);
        var bad = new BadVersions(folder);

        Assert.Null(bad.FindPack("affect-tiny", "1.0.1", out var problem));
        Assert.Contains("ota-bad.json cannot be read", problem, StringComparison.Ordinal);

        bad.Mark(new BadVersion("affect-tiny", "1.0.1", null, "health gate"));
        Assert.Equal(content, File.ReadAllText(path + ".unreadable"));
        Assert.NotNull(bad.FindPack("affect-tiny", "1.0.1", out problem));
        Assert.Null(problem);
    }
}
