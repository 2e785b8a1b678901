using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.EdgeAgent.Tests.Cli;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

/// <summary>
/// An install that dies after each of its steps: <c>active</c> must still resolve to a whole pack
/// (the old one before the swap, the new one after), and the next install and rollback must work.
/// </summary>
public sealed class InstallCrashTests : IDisposable
{
    private readonly OtaWorkspace ws = new();

    [Theory]
    [InlineData(InstallStep.Verify, "1.0.0")]
    [InlineData(InstallStep.Unpack, "1.0.0")]
    [InlineData(InstallStep.SelfTest, "1.0.0")]
    [InlineData(InstallStep.LinkNew, "1.0.0")]
    [InlineData(InstallStep.SwapActive, "1.0.1")]
    [InlineData(InstallStep.SwapPrevious, "1.0.1")]
    [InlineData(InstallStep.Cleanup, "1.0.1")]
    public async Task A_crash_after_any_step_leaves_active_at_a_whole_pack_and_the_next_install_works(InstallStep crashAfter, string activeAfterCrash)
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = await ws.BundleVersionAsync("1.0.1");
        using var trusted = TrustedKeys.Load(ws.Trusted);
        var installer = new PackInstaller(ws.Store, trusted, OtaWorkspace.CpuWarmup(), allowDowngrade: false,
            afterStep: step =>
            {
                if (step == crashAfter)
                {
                    throw new SimulatedCrashException(step);
                }
            });

        await Assert.ThrowsAsync<SimulatedCrashException>(() => installer.InstallAsync(bundle, CancellationToken.None));

        Assert.Equal(activeAfterCrash, ws.ActiveVersion()); // loads: every file present with its sha256

        await ws.InstallOkAsync("1.0.2");
        Assert.Equal("1.0.2", ws.ActiveVersion());
        Assert.Equal(activeAfterCrash, ws.PreviousVersion());
        Assert.Empty(Directory.EnumerateFileSystemEntries(ws.Store.PacksDirectory, ".staging-*"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(ws.Store.PacksDirectory, ".link-*"));

        Assert.Equal(0, (await CliRunner.RunAsync("models", "rollback", "--state-dir", ws.State)).ExitCode);
        Assert.Equal(activeAfterCrash, ws.ActiveVersion());
    }

    [Fact]
    public async Task A_crash_during_the_first_install_leaves_no_active_link_and_the_retry_works()
    {
        var bundle = await ws.BundleVersionAsync("1.0.0");
        using var trusted = TrustedKeys.Load(ws.Trusted);
        var installer = new PackInstaller(ws.Store, trusted, OtaWorkspace.CpuWarmup(), allowDowngrade: false,
            afterStep: step => throw new SimulatedCrashException(step));

        await Assert.ThrowsAsync<SimulatedCrashException>(() => installer.InstallAsync(bundle, CancellationToken.None));
        Assert.Null(ws.ActiveVersion());

        var (code, _) = await ws.InstallAsync(bundle);
        Assert.Equal(0, code);
        Assert.Equal("1.0.0", ws.ActiveVersion());
    }

    public void Dispose() => ws.Dispose();

    private sealed class SimulatedCrashException(InstallStep step) : Exception($"simulated crash after {step}");
}
