using System.Formats.Tar;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.EdgeAgent.Tests.Cli;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Tests.Ota;

public sealed class PackInstallTests : IDisposable
{
    private readonly OtaWorkspace ws = new();

    [Fact]
    public async Task Install_activates_the_bundled_pack_and_the_next_one_records_it_as_previous()
    {
        await ws.InstallOkAsync("1.0.0");

        Assert.Equal("1.0.0", ws.ActiveVersion());
        Assert.Null(ws.PreviousVersion());
        Assert.Equal($"{OtaWorkspace.PackId}-1.0.0", ws.Store.Target(PackStore.ActiveLink));
        var verify = await CliRunner.RunAsync("models", "verify", ws.Store.ActivePath, "--providers", "cpu");
        Assert.Equal(0, verify.ExitCode);

        var (code, report) = await ws.InstallAsync(await ws.BundleVersionAsync("1.0.1"));

        Assert.Equal(0, code);
        Assert.True(report.GetProperty("ok").GetBoolean());
        // affect-tiny finds faces with the trained detector: the staging step opens (on TensorRT: builds) the face models too.
        Assert.Equal(["visual", "audio", "fusion", "face.detector", "face.landmarks"],
            report.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("model").GetString()));
        Assert.Equal("1.0.1", ws.ActiveVersion());
        Assert.Equal("1.0.0", ws.PreviousVersion());
        Assert.Empty(Directory.EnumerateDirectories(ws.Store.PacksDirectory, ".staging-*"));
    }

    [Fact]
    public async Task List_with_a_state_dir_marks_active_and_previous()
    {
        await ws.InstallOkAsync("1.0.0");
        await ws.InstallOkAsync("1.1.0");

        var (code, output, _) = await CliRunner.RunAsync("models", "list", "--state-dir", ws.State, "--json");

        Assert.Equal(0, code);
        var entries = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("version").GetString()!, e => e.GetProperty("role").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["1.0.0"] = "previous", ["1.1.0"] = "active" }, entries);
        var human = await CliRunner.RunAsync("models", "list", "--state-dir", ws.State);
        Assert.Matches(@"1\.1\.0 .*\[active\]", human.Output);
    }

    [Fact]
    public async Task A_bundle_signed_by_an_untrusted_key_is_refused()
    {
        await ws.InstallOkAsync("1.0.0");
        var otherKeys = Path.Combine(ws.Root, "other");
        SigningKeys.Generate(otherKeys);
        var bundle = await ws.BundleAsync(ws.MakePack("1.0.1"), Path.Combine(otherKeys, SigningKeys.PrivateKeyFile));

        await AssertRefusedAsync(bundle, "signature", "not among the 1 trusted key(s)");
    }

    [Fact]
    public async Task A_bundle_json_edited_after_signing_is_refused_by_the_signature()
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = ws.Rewrite(await ws.BundleVersionAsync("1.0.1"), (name, data) =>
            name == BundleFormat.ManifestEntry ? System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(data).Replace("1.0.1", "9.0.0", StringComparison.Ordinal)) : data);

        await AssertRefusedAsync(bundle, "signature", "does not verify");
    }

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("fusion.onnx")]
    [InlineData("golden/visual_clip.npy")]
    public async Task A_flipped_byte_in_any_pack_file_is_refused_by_its_sha256(string file)
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = ws.Rewrite(await ws.BundleVersionAsync("1.0.1"), (name, data) =>
        {
            if (name == BundleFormat.PackPrefix + file)
            {
                data[data.Length / 2] ^= 0x20;
            }

            return data;
        });

        await AssertRefusedAsync(bundle, "sha256", $"pack file '{file}'");
    }

    [Theory]
    [InlineData(700)]        // inside bundle.json's headers
    [InlineData(0.5)]        // halfway
    [InlineData(-5000.0)]    // inside the last file's data
    public async Task A_truncated_bundle_is_refused(double cut)
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = await ws.BundleVersionAsync("1.0.1");
        var bytes = await File.ReadAllBytesAsync(bundle);
        var length = cut switch { < 0 => bytes.Length + (int)cut, < 1 => (int)(bytes.Length * cut), _ => (int)cut };
        await File.WriteAllBytesAsync(bundle, bytes[..length]);

        await AssertRefusedAsync(bundle, "truncated", "");
    }

    [Fact]
    public async Task A_path_traversal_entry_is_refused_and_nothing_is_written_outside_staging()
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = ws.Rewrite(await ws.BundleVersionAsync("1.0.1"), (_, data) => data, writer =>
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../evil") { DataStream = new MemoryStream([1, 2, 3]) }));

        await AssertRefusedAsync(bundle, "entry path", "'../evil'");
        Assert.Empty(Directory.EnumerateFiles(ws.Root, "evil", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(ws.Store.PacksDirectory, "..", "evil")));
    }

    [Fact]
    public async Task A_symlink_entry_is_refused()
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = ws.Rewrite(await ws.BundleVersionAsync("1.0.1"), (_, data) => data, writer =>
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "pack/golden") { LinkName = "/etc" }));

        await AssertRefusedAsync(bundle, "entry type", "SymbolicLink");
    }

    [Fact]
    public async Task An_entry_not_listed_in_bundle_json_is_refused()
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = ws.Rewrite(await ws.BundleVersionAsync("1.0.1"), (_, data) => data, writer =>
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "pack/extra.onnx") { DataStream = new MemoryStream([1]) }));

        await AssertRefusedAsync(bundle, "entry path", "not listed");
    }

    [Fact]
    public async Task An_entry_whose_size_differs_from_bundle_json_is_refused()
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = ws.Rewrite(await ws.BundleVersionAsync("1.0.1"), (name, data) =>
            name == BundleFormat.PackPrefix + "fusion.onnx" ? [.. data, 0] : data);

        await AssertRefusedAsync(bundle, "size", "fusion.onnx");
    }

    [Fact]
    public async Task A_downgrade_is_refused_unless_allowed()
    {
        await ws.InstallOkAsync("1.0.1");
        var older = await ws.BundleVersionAsync("1.0.0");

        await AssertRefusedAsync(older, "downgrade", "not newer than the active 1.0.1");
        await AssertRefusedAsync(await ws.BundleVersionAsync("1.0.1"), "downgrade", "not newer");

        var (code, _) = await ws.InstallAsync(older, "--allow-downgrade");
        Assert.Equal(0, code);
        Assert.Equal("1.0.0", ws.ActiveVersion());
        Assert.Equal("1.0.1", ws.PreviousVersion());
    }

    [Fact]
    public async Task A_pack_that_fails_its_self_test_is_refused_naming_the_model()
    {
        await ws.InstallOkAsync("1.0.0");
        var pack = ws.MakePack("1.0.1", copy =>
        {
            var golden = copy.PathOf("golden/fusion_valence.npy");
            var oldHash = ModelPackLoader.Sha256Hex(golden);
            var bytes = File.ReadAllBytes(golden);
            var dataStart = 10 + BitConverter.ToUInt16(bytes, 8);
            BitConverter.GetBytes(5.0f).CopyTo(bytes, dataStart);
            File.WriteAllBytes(golden, bytes);
            var manifest = copy.PathOf(ManifestReader.FileName);
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(oldHash, ModelPackLoader.Sha256Hex(golden), StringComparison.Ordinal));
        });

        await AssertRefusedAsync(await ws.BundleAsync(pack), "self-test", "model 'fusion'");
        Assert.DoesNotContain(Directory.EnumerateDirectories(ws.Store.PacksDirectory), d => d.EndsWith("1.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pack_refuses_a_pack_that_does_not_verify()
    {
        var pack = ws.MakePack("1.0.1", copy => File.AppendAllText(copy.PathOf("fusion.onnx"), "x"));

        var (code, _, error) = await CliRunner.RunAsync("models", "pack", pack, "--key", ws.PrivateKey, "--out", Path.Combine(ws.Root, "b.tar"));

        Assert.Equal(1, code);
        Assert.Contains("HashMismatch", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_swaps_active_and_previous_and_back()
    {
        await ws.InstallOkAsync("1.0.0");
        await ws.InstallOkAsync("1.0.1");

        var (code, output, _) = await CliRunner.RunAsync("models", "rollback", "--state-dir", ws.State, "--json");

        Assert.Equal(0, code);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal("1.0.0", report.GetProperty("version").GetString());
        Assert.Equal("1.0.0", ws.ActiveVersion());
        Assert.Equal("1.0.1", ws.PreviousVersion());

        Assert.Equal(0, (await CliRunner.RunAsync("models", "rollback", "--state-dir", ws.State)).ExitCode);
        Assert.Equal("1.0.1", ws.ActiveVersion());
        Assert.Equal("1.0.0", ws.PreviousVersion());
    }

    [Fact]
    public async Task Rollback_without_a_previous_pack_is_refused()
    {
        await ws.InstallOkAsync("1.0.0");

        var (code, output, _) = await CliRunner.RunAsync("models", "rollback", "--state-dir", ws.State, "--json");

        Assert.Equal(1, code);
        Assert.Equal("state", JsonDocument.Parse(output).RootElement.GetProperty("refusal").GetProperty("check").GetString());
        Assert.Equal("1.0.0", ws.ActiveVersion());
    }

    [Fact]
    public async Task An_install_while_another_holds_the_state_lock_is_refused()
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = await ws.BundleVersionAsync("1.0.1");

        using (ws.Store.Lock())
        {
            var (code, report) = await ws.InstallAsync(bundle);
            Assert.Equal(1, code);
            Assert.Equal("state", report.GetProperty("refusal").GetProperty("check").GetString());
            Assert.Equal("1.0.0", ws.ActiveVersion());
        }

        Assert.Equal(0, (await ws.InstallAsync(bundle)).Code);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"schemaVersion\": 1, \"modalities\": 42}")]
    public async Task A_signed_bundle_whose_manifest_is_json_of_the_wrong_shape_is_refused_leaving_nothing(string manifest)
    {
        await ws.InstallOkAsync("1.0.0");
        var bundle = ws.SignedBundle([("manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest))]);

        await AssertRefusedAsync(bundle, "pack", "manifest.json $");
    }

    [Theory]
    [InlineData(5000, 1)]    // one name of 5,000 characters
    [InlineData(2, 2500)]    // 2,500 folders, 5,000 characters
    [InlineData(10, 9)]      // deeper than a pack needs
    public async Task A_long_or_deep_entry_name_is_refused_before_anything_is_written(int nameLength, int depth)
    {
        await ws.InstallOkAsync("1.0.0");
        var name = string.Join('/', Enumerable.Repeat(new string('a', nameLength), depth));
        var bundle = ws.SignedBundle([("manifest.json", "{}"u8.ToArray()), (name, [1, 2, 3])]);

        await AssertRefusedAsync(bundle, "entry path", "");
        Assert.Equal(1, Directory.EnumerateDirectories(ws.Store.PacksDirectory).Count(d => !Path.GetFileName(d).StartsWith('.') && new DirectoryInfo(d).LinkTarget is null));
    }

    [Theory]
    [InlineData("golden/a\nb.npy", "golden/a\\u000ab.npy")]
    [InlineData("golden/\u001b[31mred.npy", "golden/\\u001b[31mred.npy")]
    [InlineData("golden/caf\u00e9.npy", "U+00E9")]
    public async Task An_entry_name_with_a_character_outside_the_rule_is_refused_and_shown_escaped(string name, string shown)
    {
        await ws.InstallOkAsync("1.0.0");
        name = System.Text.RegularExpressions.Regex.Unescape(name);
        var bundle = ws.SignedBundle([("manifest.json", "{}"u8.ToArray()), (name, [1, 2, 3])]);

        await AssertRefusedAsync(bundle, "entry path", shown);
    }

    [Fact]
    public async Task Verify_and_list_name_a_manifest_of_the_wrong_shape_without_a_stack_trace()
    {
        var pack = ws.MakePack("1.0.1", copy => File.WriteAllText(copy.PathOf(ManifestReader.FileName), "42"));

        var verify = await CliRunner.RunAsync("models", "verify", pack, "--providers", "cpu");
        var list = await CliRunner.RunAsync("models", "list", Path.GetDirectoryName(pack)!);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("manifest.json $: expected an object, not a number", verify.Output + verify.Error, StringComparison.Ordinal);
        Assert.Contains("manifest.json $: expected an object, not a number", list.Output + list.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", verify.Output + verify.Error + list.Output + list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pack_whose_face_models_are_missing_on_the_device_is_refused_at_staging()
    {
        // The service could not open the pack's front end; refusing here keeps the active pack
        // instead of switching and failing the health gate.
        await ws.InstallOkAsync("1.0.0");
        var noModels = Directory.CreateDirectory(Path.Combine(ws.Root, "face-models-empty")).FullName;

        await AssertRefusedAsync(await ws.BundleVersionAsync("1.0.1"), "self-test",
            $"MissingFile: {Path.Combine(noModels, "tiny_face_detector.onnx")}: the face model file is missing", "--face-models", noModels);
    }

    private async Task AssertRefusedAsync(string bundle, string check, string detail, params string[] extra)
    {
        var activeBefore = ws.Store.Target(PackStore.ActiveLink);
        var versionBefore = ws.ActiveVersion();

        var (code, report) = await ws.InstallAsync(bundle, extra);

        Assert.Equal(1, code);
        Assert.False(report.GetProperty("ok").GetBoolean());
        var refusal = report.GetProperty("refusal");
        Assert.Equal(check, refusal.GetProperty("check").GetString());
        Assert.StartsWith(check + ":", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(detail, refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(activeBefore, ws.Store.Target(PackStore.ActiveLink));
        Assert.Equal(versionBefore, ws.ActiveVersion());
        Assert.Empty(Directory.EnumerateDirectories(ws.Store.PacksDirectory, ".staging-*"));
    }

    public void Dispose() => ws.Dispose();
}
