using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Deploy;

/// <summary>
/// The bundle's install.sh, run for real with <c>--root</c> into a scratch root file system (the
/// image-building mode), so this machine is left alone. A live install (systemctl restart, the config
/// check as the edgeemo user) happens only on a Jetson: deploy/jetson/INSTALL.md says how to check it.
/// </summary>
[Collection(JetsonBundleGroup.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallScriptTests(JetsonBundle bundle) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("edgeemo-rootfs-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Installs_into_a_root_file_system_and_a_rerun_keeps_the_config_and_the_active_pack()
    {
        // useradd/usermod --root and chown need root, as on a device (make test runs as root, like CI).
        Assert.True(Environment.IsPrivilegedProcess, "install.sh needs root: run the tests as root");
        MinimalEtc();

        var first = await InstallAsync("--root", root, "--pack", "affect-tiny", "--mender");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("installed the example config as /etc/edgeemo/edgeemo.json", first.Output, StringComparison.Ordinal);
        Assert.Contains("no group 'i2c' here", first.Error, StringComparison.Ordinal);
        AssertSameFile(bundle.PathOf("bin/edgeemo"), At("usr/lib/edgeemo/edgeemo"));
        AssertSameFile(bundle.PathOf("bin/libonnxruntime.so"), At("usr/lib/edgeemo/libonnxruntime.so"));
        AssertSameFile(bundle.PathOf("docs/operations.md"), At("usr/lib/edgeemo/docs/operations.md"));
        Assert.Equal(bundle.Version, File.ReadAllText(At("usr/lib/edgeemo/VERSION")).Trim());
        Assert.True(File.GetUnixFileMode(At("usr/lib/edgeemo/edgeemo")).HasFlag(UnixFileMode.OtherExecute));
        AssertSameFile(bundle.PathOf("edgeemo.json"), At("etc/edgeemo/edgeemo.json"));
        AssertSameFile(bundle.PathOf("edgeemo.service"), At("etc/systemd/system/edgeemo.service"));
        AssertSameFile(bundle.PathOf("mender/edgeemo-model"), At("usr/share/mender/modules/v3/edgeemo-model"));
        Assert.Equal("/etc/systemd/system/edgeemo.service", new FileInfo(At("etc/systemd/system/multi-user.target.wants/edgeemo.service")).LinkTarget);
        Assert.False(Directory.Exists(At("usr/lib/edgeemo.new")) || Directory.Exists(At("usr/lib/edgeemo.old")), "a staging folder was left behind");

        // The service user, and the pack store exactly as the agent's PackStore reads it.
        var passwd = File.ReadAllLines(At("etc/passwd"));
        Assert.Single(passwd, l => l.StartsWith("edgeemo:", StringComparison.Ordinal) && l.EndsWith(":/var/lib/edgeemo:/usr/sbin/nologin", StringComparison.Ordinal));
        Assert.Contains(File.ReadAllLines(At("etc/group")), l => l.StartsWith("video:", StringComparison.Ordinal) && l.EndsWith(":edgeemo", StringComparison.Ordinal));
        var store = new PackStore(At("var/lib/edgeemo"));
        Assert.Equal("affect-tiny-1.0.0", store.Target(PackStore.ActiveLink));
        Assert.Equal([Path.Combine(store.PacksDirectory, "affect-tiny-1.0.0")], store.InstalledFolders());
        AssertSameFile(bundle.PathOf("packs/affect-tiny/manifest.json"), Path.Combine(store.ActivePath, "manifest.json"));

        // The operator edits the config; an upgrade keeps it, and keeps the active pack.
        File.WriteAllText(At("etc/edgeemo/edgeemo.json"), "{ \"deviceId\": \"bed-07\" }\n");
        File.WriteAllText(At("usr/lib/edgeemo/stale.dll"), "from an older version");

        var again = await InstallAsync("--root", root, "--pack", "pain-tiny");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("keeping /etc/edgeemo/edgeemo.json", again.Output, StringComparison.Ordinal);
        Assert.Contains("keeping the active pack affect-tiny-1.0.0", again.Output, StringComparison.Ordinal);
        Assert.Equal("{ \"deviceId\": \"bed-07\" }\n", File.ReadAllText(At("etc/edgeemo/edgeemo.json")));
        Assert.Equal("affect-tiny-1.0.0", store.Target(PackStore.ActiveLink));
        Assert.False(File.Exists(At("usr/lib/edgeemo/stale.dll")), "the upgrade kept a file of the old app");
        Assert.Single(File.ReadAllLines(At("etc/passwd")), l => l.StartsWith("edgeemo:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_damaged_bundle_is_refused_before_anything_is_installed()
    {
        var copy = Path.Combine(root, "bundle");
        var link = await ToolRun.RunAsync("cp", "-al", bundle.Root, copy);
        Assert.True(link.ExitCode == 0, link.ToString());
        File.Delete(Path.Combine(copy, "edgeemo.json"));
        File.WriteAllText(Path.Combine(copy, "edgeemo.json"), "{}\n");
        var target = Directory.CreateDirectory(Path.Combine(root, "target")).FullName;

        var run = await ToolRun.RunAsync("bash", Path.Combine(copy, "install.sh"), "--root", target);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("edgeemo.json: FAILED", run.Error, StringComparison.Ordinal);
        Assert.Contains("does not match its SHA256SUMS", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [Fact]
    public async Task Run_from_the_source_tree_it_says_to_build_and_unpack_a_bundle()
    {
        var run = await ToolRun.RunAsync("bash", Path.Combine(TestPaths.RepoRoot, "deploy/jetson/install.sh"), "--root", root);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("bin/edgeemo not found: run install.sh from an unpacked bundle (make publish-jetson", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_pack_or_argument_is_named()
    {
        var pack = await InstallAsync("--root", root, "--pack", "affect-huge");
        var escape = await InstallAsync("--root", root, "--pack", "../packs/affect-tiny");
        var argument = await InstallAsync("--roots", root);

        Assert.True(pack.ExitCode == 1, pack.ToString());
        Assert.Contains("--pack affect-huge: no such pack in the bundle (it has: affect-tiny pain-tiny)", pack.Error, StringComparison.Ordinal);
        Assert.True(escape.ExitCode == 1, escape.ToString());
        Assert.Contains("--pack ../packs/affect-tiny: no such pack in the bundle", escape.Error, StringComparison.Ordinal);
        Assert.True(argument.ExitCode == 2, argument.ToString());
        Assert.Contains("install: unknown argument '--roots'", argument.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    private Task<ToolResult> InstallAsync(params string[] arguments) => ToolRun.RunAsync("bash", [bundle.PathOf("install.sh"), .. arguments]);

    private string At(string relative) => Path.Combine(root, relative);

    /// <summary>The account files of a fresh image; it has video and audio but no i2c group.</summary>
    private void MinimalEtc()
    {
        Directory.CreateDirectory(At("etc"));
        File.WriteAllText(At("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(At("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(At("etc/group"), "root:x:0:\nvideo:x:44:\naudio:x:29:\n");
        File.WriteAllText(At("etc/gshadow"), "root:*::\nvideo:*::\naudio:*::\n");
    }

    private static void AssertSameFile(string expected, string actual)
    {
        Assert.True(File.Exists(actual), $"{actual} missing");
        Assert.True(File.ReadAllBytes(expected).AsSpan().SequenceEqual(File.ReadAllBytes(actual)), $"{actual} differs from {expected}");
    }
}
