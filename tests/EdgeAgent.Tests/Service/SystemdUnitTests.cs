using System.Diagnostics;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary><c>systemd-analyze verify</c> on deploy/jetson/edgeemo.service, in a scratch root that holds the binary it names.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SystemdUnitTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("edgeemo-unit-").FullName;

    public SystemdUnitTests()
    {
        // verify resolves targets (sysinit.target ...) and checks ExecStart exists: give it both.
        CopyDirectory("/usr/lib/systemd/system", Path.Combine(root, "usr/lib/systemd/system"));
        var binary = Path.Combine(root, "usr/lib/edgeemo/edgeemo");
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        File.WriteAllText(binary, "#!/bin/sh\n");
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        Directory.CreateDirectory(Path.Combine(root, "etc/systemd/system"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task The_unit_verifies_without_a_warning()
    {
        File.Copy(Path.Combine(TestPaths.RepoRoot, "deploy/jetson/edgeemo.service"), Path.Combine(root, "etc/systemd/system/edgeemo.service"));

        var (code, output) = await VerifyAsync("edgeemo.service");

        Assert.True(code == 0 && output.Length == 0, $"systemd-analyze verify exit {code}:\n{output}");
    }

    [Fact]
    public async Task The_check_catches_a_misspelt_key()
    {
        var unit = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "deploy/jetson/edgeemo.service")).Replace("WatchdogSec=", "WatchdogSecs=", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(root, "etc/systemd/system/edgeemo.service"), unit);

        var (_, output) = await VerifyAsync("edgeemo.service");

        Assert.Contains("Unknown key 'WatchdogSecs'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unit_runs_as_a_notify_service_with_a_watchdog_and_a_sandbox()
    {
        var unit = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "deploy/jetson/edgeemo.service"));

        foreach (var line in new[] { "Type=notify", "User=edgeemo", "SupplementaryGroups=video audio i2c", "StateDirectory=edgeemo", "CacheDirectory=edgeemo",
                     "ConfigurationDirectory=edgeemo", "Restart=on-failure", "WatchdogSec=30", "ProtectSystem=strict", "NoNewPrivileges=yes", "DevicePolicy=closed" })
        {
            Assert.Contains(line, unit);
        }
    }

    private async Task<(int Code, string Output)> VerifyAsync(string unit)
    {
        var start = new ProcessStartInfo("systemd-analyze") { ArgumentList = { "verify", $"--root={root}", unit }, RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output.Trim());
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            switch (entry)
            {
                case FileInfo { LinkTarget: { } link }:
                    File.CreateSymbolicLink(target, link);
                    break;
                case FileInfo file:
                    file.CopyTo(target);
                    break;
                case DirectoryInfo { LinkTarget: null } dir:
                    CopyDirectory(dir.FullName, target);
                    break;
                case DirectoryInfo { LinkTarget: { } dirLink }:
                    Directory.CreateSymbolicLink(target, dirLink);
                    break;
            }
        }
    }
}
