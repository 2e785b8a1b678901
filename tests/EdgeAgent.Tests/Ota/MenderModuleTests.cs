using System.Diagnostics;
using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

/// <summary>
/// A test install of the Mender update module deploy/jetson/mender/edgeemo-model: its states are run
/// by hand, in the order the Mender client runs them, against the real <c>edgeemo</c> built beside
/// the tests, with the state and trusted-keys folders in a temp workspace.
/// </summary>
public sealed class MenderModuleTests : IDisposable
{
    private static readonly string Module = Path.Combine(TestPaths.RepoRoot, "deploy", "jetson", "mender", "edgeemo-model");

    private readonly OtaWorkspace ws = new();

    [Fact]
    public async Task Install_commit_then_a_newer_install_rolled_back_leaves_the_first_bundle_active()
    {
        var first = Deployment(await ws.BundleVersionAsync("1.0.0"));
        Assert.Equal("No", (await RunAsync("NeedsArtifactReboot", first)).Output.Trim());
        Assert.Equal("Yes", (await RunAsync("SupportsRollback", first)).Output.Trim());
        await StatesOkAsync(first, "Download", "ArtifactInstall", "ArtifactCommit", "Cleanup");
        Assert.Equal("1.0.0", ws.ActiveVersion());

        var second = Deployment(await ws.BundleVersionAsync("1.0.1"));
        await StatesOkAsync(second, "Download", "ArtifactInstall");
        Assert.Equal("1.0.1", ws.ActiveVersion());
        Assert.Equal("1.0.0", ws.PreviousVersion());

        // Something later in the deployment failed: Mender rolls back.
        var rollback = await RunAsync("ArtifactRollback", second);
        Assert.True(rollback.Code == 0, rollback.Error);
        Assert.Contains("rolled back to affect-tiny-1.0.0", rollback.Error);
        Assert.Equal("1.0.0", ws.ActiveVersion());
        Assert.Equal($"{OtaWorkspace.PackId}-1.0.0", ws.Store.Target(PackStore.ActiveLink));
        await StatesOkAsync(second, "ArtifactFailure", "Cleanup");

        // A second rollback (a retried state) changes nothing.
        var again = await RunAsync("ArtifactRollback", second);
        Assert.True(again.Code == 0, again.Error);
        Assert.Equal("1.0.0", ws.ActiveVersion());
    }

    [Fact]
    public async Task A_bundle_streamed_in_Download_is_installed_and_committed()
    {
        await StatesOkAsync(Deployment(await ws.BundleVersionAsync("1.0.0")), "Download", "ArtifactInstall", "ArtifactCommit");

        var streamed = Deployment(null);
        Directory.CreateDirectory(Path.Combine(streamed, "streams"));
        File.Copy(await ws.BundleVersionAsync("1.1.0"), Path.Combine(streamed, "streams", "bundle.tar"));
        await StatesOkAsync(streamed, "Download", "ArtifactInstall", "ArtifactCommit", "Cleanup");

        Assert.Equal("1.1.0", ws.ActiveVersion());
        Assert.Equal("1.0.0", ws.PreviousVersion());
    }

    [Fact]
    public async Task A_refused_bundle_fails_ArtifactInstall_with_the_refusal_and_leaves_active_unchanged()
    {
        await StatesOkAsync(Deployment(await ws.BundleVersionAsync("1.0.0")), "Download", "ArtifactInstall", "ArtifactCommit");
        var otherKeys = Path.Combine(ws.Root, "other");
        SigningKeys.Generate(otherKeys);
        var untrusted = Deployment(await ws.BundleAsync(ws.MakePack("1.0.1"), Path.Combine(otherKeys, SigningKeys.PrivateKeyFile)));
        await StatesOkAsync(untrusted, "Download");

        var install = await RunAsync("ArtifactInstall", untrusted);

        Assert.Equal(1, install.Code);
        Assert.Contains("edgeemo-model: ArtifactInstall: refused: signature:", install.Error);
        Assert.Contains("not among the 1 trusted key(s)", install.Error);
        Assert.Equal("1.0.0", ws.ActiveVersion());

        // Mender then runs ArtifactRollback and ArtifactFailure: nothing switched, nothing to undo.
        var rollback = await RunAsync("ArtifactRollback", untrusted);
        Assert.True(rollback.Code == 0, rollback.Error);
        Assert.Contains("nothing to roll back", rollback.Error);
        await StatesOkAsync(untrusted, "ArtifactFailure", "Cleanup");
        Assert.Equal("1.0.0", ws.ActiveVersion());
        Assert.Null(ws.PreviousVersion());
    }

    [Fact]
    public async Task ArtifactCommit_without_an_install_fails()
    {
        var commit = await RunAsync("ArtifactCommit", Deployment(null));

        Assert.Equal(1, commit.Code);
        Assert.Contains("edgeemo-model: ArtifactCommit: no install recorded", commit.Error);
    }

    public void Dispose() => ws.Dispose();

    /// <summary>A FILES_DIR laid out as Mender leaves it: header/, tmp/ and files/ holding the payload.</summary>
    private string Deployment(string? bundle)
    {
        var dir = Path.Combine(ws.Root, $"mender-{Guid.NewGuid():N}");
        foreach (var sub in new[] { "header", "tmp", "files" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        if (bundle is not null)
        {
            File.Copy(bundle, Path.Combine(dir, "files", "bundle.tar"));
        }

        return dir;
    }

    private async Task StatesOkAsync(string filesDir, params string[] states)
    {
        foreach (var state in states)
        {
            var (code, _, error) = await RunAsync(state, filesDir);
            Assert.True(code == 0, $"{state} exited {code}: {error}");
        }
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string state, string filesDir)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Module, state, filesDir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["EDGEEMO"] = Path.Combine(AppContext.BaseDirectory, "edgeemo"),
                ["EDGEEMO_STATE_DIR"] = ws.State,
                ["EDGEEMO_TRUSTED_KEYS"] = ws.Trusted,
                ["EDGEEMO_INSTALL_ARGS"] = "--providers cpu",
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
