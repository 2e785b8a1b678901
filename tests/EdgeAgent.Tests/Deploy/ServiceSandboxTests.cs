using System.IO.Enumeration;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Deploy;

/// <summary>
/// What edgeemo.service's sandbox lets through on a Jetson: the Argus socket in the host's /tmp and
/// the device groups of JetPack 6's GPU. (systemd-analyze verify, in Service/SystemdUnitTests, checks
/// the syntax; these check the meaning.)
/// </summary>
public sealed class ServiceSandboxTests
{
    private static readonly ServiceUnit Unit = ServiceUnit.Read(Path.Combine(TestPaths.RepoRoot, "deploy/jetson/edgeemo.service"));

    [Fact]
    public void The_service_sees_the_host_s_Argus_socket()
    {
        var privateTmp = Unit.Boolean("PrivateTmp");
        var bound = Unit.All("BindPaths").Concat(Unit.All("BindReadOnlyPaths"))
            .SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.TrimStart('-').Split(':')[0]);

        Assert.True(
            !privateTmp || bound.Contains(SourceCheck.ArgusSocket),
            $"PrivateTmp=yes hides {SourceCheck.ArgusSocket} (nvargus-daemon's socket in the host's /tmp) from nvarguscamerasrc: the CSI camera cannot open under the service");
    }

    [Fact]
    public void The_agent_s_own_temporary_files_stay_private()
    {
        Assert.Contains("TMPDIR=/run/edgeemo", Unit.All("Environment"));
        Assert.Equal("edgeemo", Unit.Last("RuntimeDirectory"));
        Assert.Equal("0700", Unit.Last("RuntimeDirectoryMode"));
    }

    [Theory]
    [InlineData("17000000.gpu", "the Orin iGPU (nvgpu: /dev/nvgpu/igpu0/*, /dev/nvhost-*-gpu)")]
    [InlineData("alsa", "/dev/snd/*")]
    [InlineData("video4linux", "/dev/video*")]
    [InlineData("i2c", "/dev/i2c-*")]
    public void A_closed_device_policy_lets_the_driver_groups_the_agent_needs_through(string procDevicesName, string what)
    {
        Assert.Equal("closed", Unit.Last("DevicePolicy"));
        var groups = Unit.All("DeviceAllow").Select(v => v.Split(' ')[0]).Where(s => s.StartsWith("char-", StringComparison.Ordinal)).Select(s => s["char-".Length..]);

        Assert.True(groups.Any(g => FileSystemName.MatchesSimpleExpression(g, procDevicesName, ignoreCase: false)), $"no DeviceAllow=char-... matches '{procDevicesName}' in /proc/devices: {what} is denied");
    }

    [Fact]
    public void The_GPU_buffer_allocator_is_allowed_by_path() =>
        Assert.Contains("/dev/nvmap rw", Unit.All("DeviceAllow"));

    [Fact]
    public void Every_device_line_says_where_it_comes_from()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "deploy/jetson/edgeemo.service"));
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("DeviceAllow=", StringComparison.Ordinal))
            {
                var j = i - 1;
                while (j >= 0 && lines[j].StartsWith("DeviceAllow=", StringComparison.Ordinal))
                {
                    j--;
                }

                Assert.True(j >= 0 && lines[j].StartsWith('#'), $"{lines[i]}: no comment above it saying which nodes it is for and why");
            }
        }
    }

    /// <summary>The [Service] section of a unit file, as systemd reads it: repeated keys add up, an empty value resets.</summary>
    private sealed class ServiceUnit(Dictionary<string, List<string>> settings)
    {
        public static ServiceUnit Read(string path)
        {
            var settings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var section = "";
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] is '#' or ';')
                {
                    continue;
                }

                if (line.StartsWith('['))
                {
                    section = line;
                    continue;
                }

                if (section == "[Service]" && line.Split('=', 2) is [var key, var value])
                {
                    var values = settings.TryGetValue(key.Trim(), out var list) ? list : settings[key.Trim()] = [];
                    if (value.Trim().Length == 0)
                    {
                        values.Clear();
                    }
                    else
                    {
                        values.Add(value.Trim());
                    }
                }
            }

            return new ServiceUnit(settings);
        }

        public List<string> All(string key) => settings.TryGetValue(key, out var values) ? values : [];

        public string? Last(string key) => All(key) is [.., var last] ? last : null;

        public bool Boolean(string key) => Last(key) is { } value && value.ToLowerInvariant() is "yes" or "true" or "1" or "on";
    }
}
