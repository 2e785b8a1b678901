using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Tests.Configuration;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Deploy;

/// <summary>
/// The check of <c>make publish-jetson</c>'s bundle: every native file is AArch64, the app, service
/// files, docs and packs are there and match SHA256SUMS, and the managed-only commands of its arm64
/// <c>edgeemo</c> run under qemu-user (ONNX Runtime's native code does not, so no inference here:
/// that is checked on the device, deploy/jetson/INSTALL.md).
/// </summary>
[Collection(JetsonBundleGroup.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class JetsonBundleTests(JetsonBundle bundle) : IDisposable
{
    private static readonly string[] DeployFiles = ["install.sh", "edgeemo.service", "edgeemo.json", "INSTALL.md"];

    private readonly string scratch = Directory.CreateTempSubdirectory("edgeemo-device-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Every_ELF_file_in_the_bundle_is_AArch64()
    {
        var elves = bundle.Files().Select(f => (File: f, Machine: ElfHeader.Machine(bundle.PathOf(f)))).Where(e => e.Machine is not null).ToList();

        var foreign = elves.Where(e => e.Machine != ElfHeader.AArch64).Select(e => $"{e.File} (e_machine {e.Machine})").ToList();
        Assert.True(foreign.Count == 0, $"not AArch64: {string.Join(", ", foreign)}");
        var found = elves.Select(e => e.File).ToHashSet();
        foreach (var native in new[] { "bin/edgeemo", "bin/libcoreclr.so", "bin/libclrjit.so", "bin/libhostfxr.so", "bin/libSystem.Native.so", "bin/libonnxruntime.so" })
        {
            Assert.Contains(native, found);
        }
    }

    [Fact]
    public void The_ELF_reader_tells_this_machine_s_runtime_from_a_managed_file()
    {
        var runtime = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libcoreclr.so");
        var expected = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => ElfHeader.X86_64,
            Architecture.Arm64 => ElfHeader.AArch64,
            var other => throw new PlatformNotSupportedException($"no e_machine known for {other}"),
        };

        Assert.Equal(expected, ElfHeader.Machine(runtime));
        Assert.Null(ElfHeader.Machine(bundle.PathOf("bin/edgeemo.dll")));
        Assert.Null(ElfHeader.Machine(bundle.PathOf("VERSION")));
    }

    [Fact]
    public void The_bundle_holds_the_app_the_service_files_the_docs_and_the_packs_of_this_checkout()
    {
        var files = bundle.Files().ToHashSet();
        foreach (var file in new[]
                 {
                     "VERSION", "SHA256SUMS", "bin/edgeemo", "bin/edgeemo.dll", "bin/edgeemo.runtimeconfig.json", "bin/libcoreclr.so", "bin/libonnxruntime.so",
                     "mender/edgeemo-model", "mender/README.md", "docs/jetson/README.md", "docs/schemas/scores.schema.json",
                     "packs/affect-tiny/manifest.json", "packs/pain-tiny/manifest.json",
                     "bin/models/face/tiny_face_detector.onnx", "bin/models/face/face_landmark_68.onnx", "bin/models/face/golden/cases.json", "bin/models/face/NOTICE",
                 }.Concat(DeployFiles))
        {
            Assert.Contains(file, files);
        }

        Assert.Equal(bundle.Version, File.ReadAllText(bundle.PathOf("VERSION")).Trim());
        foreach (var executable in new[] { "bin/edgeemo", "install.sh", "mender/edgeemo-model" })
        {
            Assert.True(File.GetUnixFileMode(bundle.PathOf(executable)).HasFlag(UnixFileMode.UserExecute), $"{executable} is not executable");
        }

        // The bundle is this checkout's: a stale one (deploy files changed since) says how to refresh it.
        var sources = DeployFiles.Select(f => ($"deploy/jetson/{f}", f))
            .Concat([("deploy/jetson/mender/edgeemo-model", "mender/edgeemo-model"), ("deploy/jetson/sensors-camera.md", "docs/jetson/sensors-camera.md")])
            .Concat(Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "docs"), "*.md").Select(d => ($"docs/{Path.GetFileName(d)}", $"docs/{Path.GetFileName(d)}")))
            .Concat(Directory.EnumerateFiles(TestPaths.Pack("affect-tiny")).Select(p => ($"models/packs/affect-tiny/{Path.GetFileName(p)}", $"packs/affect-tiny/{Path.GetFileName(p)}")))
            .Concat(Directory.EnumerateFiles(TestPaths.FaceModels, "*.onnx").Select(p => ($"models/face/{Path.GetFileName(p)}", $"bin/models/face/{Path.GetFileName(p)}")));
        foreach (var (source, inBundle) in sources)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, source)).AsSpan().SequenceEqual(File.ReadAllBytes(bundle.PathOf(inBundle))),
                $"{inBundle} in {bundle.Tarball} differs from {source}: run `make publish-jetson` again");
        }
    }

    [Fact]
    public void SHA256SUMS_lists_every_other_file_with_its_hash()
    {
        var sums = File.ReadAllLines(bundle.PathOf("SHA256SUMS"))
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0], StringComparer.Ordinal);

        Assert.Equal(bundle.Files().Where(f => f != "SHA256SUMS"), sums.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, hash) in sums)
        {
            using var stream = File.OpenRead(bundle.PathOf(file));
            Assert.True(Convert.ToHexStringLower(SHA256.HashData(stream)) == hash, $"{file}: sha256 differs from SHA256SUMS");
        }
    }

    [Fact]
    public async Task The_arm64_edgeemo_prints_the_project_version_under_qemu()
    {
        var run = await bundle.RunEdgeemoAsync("--version");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(bundle.Version, run.Output.Trim().Split('+')[0]);
    }

    /// <summary>
    /// The bundled example config names the device's sensors; off a Jetson (here, under qemu) the check
    /// passes with the device checks skipped, one line per source saying what was not checked, and the
    /// sensor the pack does not take reported unused.
    /// </summary>
    [Theory]
    [InlineData("affect-tiny", "audio", "eda")]
    [InlineData("pain-tiny", "eda", "audio")]
    public async Task The_example_config_passes_the_check_of_the_arm64_edgeemo_under_qemu(string pack, string used, string unused)
    {
        var config = await DeviceConfigAsync(_ => { }, pack);

        var run = await bundle.RunEdgeemoAsync("run", "--config", config, "--check");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("config ok: device bed-01, pack ", run.Output, StringComparison.Ordinal);
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("visual: camera csi sensor 0 1280x720@30: skipped, not a Jetson (no /etc/nv_tegra_release): Argus socket /tmp/argus_socket, CSI sensor and GStreamer OpenCV not checked", lines);
        var device = new Dictionary<string, string> { ["audio"] = "audio: alsa plughw:CARD=Device,DEV=0: ", ["eda"] = "eda: ads1115 /dev/i2c-7 0x48: " };
        Assert.Contains(lines, l => l.StartsWith(device[used] + "skipped, not a Jetson: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(device[unused] + $"unused, pack {pack} has no {unused} modality", StringComparison.Ordinal));
        Assert.DoesNotContain("synthetic", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("misspelt key", "$.mqtt.brokr: unknown field 'brokr'")]
    [InlineData("no pack", "var/lib/edgeemo/packs/missing: the pack folder does not exist")]
    [InlineData("bad device id", "deviceId: 'bed 01' must be 1-64 letters")]
    public async Task A_broken_config_fails_the_check_with_exit_2_and_names_the_key(string damage, string expected)
    {
        var config = await DeviceConfigAsync(c =>
        {
            switch (damage)
            {
                case "misspelt key":
                    c["mqtt"]!["brokr"] = "mqtt://x";
                    break;
                case "no pack":
                    c["pack"] = Path.Combine(scratch, "var/lib/edgeemo/packs/missing");
                    break;
                default:
                    c["deviceId"] = "bed 01";
                    break;
            }
        });

        var run = await bundle.RunEdgeemoAsync("run", "--config", config, "--check");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The bundled example config as it stands on a device, with the device's absolute paths moved
    /// under the scratch folder: the password, CA and EDA calibration files it names, and packs/active
    /// linked to a bundled pack.
    /// </summary>
    private async Task<string> DeviceConfigAsync(Action<JsonObject> change, string pack = "affect-tiny")
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var config = JsonNode.Parse(await File.ReadAllTextAsync(bundle.PathOf("edgeemo.json")), documentOptions: options)!.AsObject();
        Reroot(config);

        // `run --check` loads the native library the config names, and ONNX Runtime's native code does not
        // run under qemu-user: without it the check covers everything but that load (done on the device).
        Assert.True(config["inference"]!.AsObject().Remove("nativeLibraryPath"), "the example config no longer names inference.nativeLibraryPath");

        var mqtt = config["mqtt"]!;
        WriteFile((string)mqtt["passwordFile"]!, "device-secret\n");
        using (var pki = await TestCertificates.CreateAsync())
        {
            WriteFile((string)mqtt["caFile"]!, await File.ReadAllTextAsync(pki.CaCertificate));
        }

        var active = (string)config["pack"]!;
        Directory.CreateDirectory(Path.GetDirectoryName(active)!);
        Directory.CreateSymbolicLink(active, bundle.PathOf($"packs/{pack}"));

        // What `edgeemo calibrate-eda` writes on the device.
        var calibration = (string)config["sources"]!["eda"]!["ads1115"]!["calibrationFile"]!;
        TestEdaCalibration.Save(calibration);

        change(config);
        var path = Path.Combine(scratch, "etc/edgeemo/edgeemo.json");
        WriteFile(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private void Reroot(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (AbsolutePath(value) is { } path)
                    {
                        obj[key] = scratch + path;
                    }
                    else
                    {
                        Reroot(value);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (AbsolutePath(array[i]) is { } path)
                    {
                        array[i] = scratch + path;
                    }
                    else
                    {
                        Reroot(array[i]);
                    }
                }

                break;
        }
    }

    private static string? AbsolutePath(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.StartsWith('/') ? text : null;

    private static void WriteFile(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
