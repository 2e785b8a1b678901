using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.EdgeAgent.Tests.Cli;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

public sealed class BundleKeygenTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"edgeemo-keygen-{Guid.NewGuid():N}");

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Keygen_writes_a_private_key_only_its_owner_reads_and_a_public_key()
    {
        var (code, output, error) = await CliRunner.RunAsync("models", "keygen", "--out", dir);

        Assert.True(code == 0, error);
        var key = Path.Combine(dir, SigningKeys.PrivateKeyFile);
        var pub = Path.Combine(dir, SigningKeys.PublicKeyFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.False(File.GetUnixFileMode(pub).HasFlag(UnixFileMode.OtherWrite));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(key), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(pub), StringComparison.Ordinal);
        using var publicKey = SigningKeys.LoadPublic(pub);
        Assert.Contains(SigningKeys.KeyId(publicKey), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_refuses_to_overwrite_an_existing_key()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("models", "keygen", "--out", dir)).ExitCode);
        var before = File.ReadAllText(Path.Combine(dir, SigningKeys.PrivateKeyFile));

        var (code, _, error) = await CliRunner.RunAsync("models", "keygen", "--out", dir);

        Assert.NotEqual(0, code);
        Assert.Contains("refusing to overwrite", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, SigningKeys.PrivateKeyFile)));
    }

    public void Dispose()
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
