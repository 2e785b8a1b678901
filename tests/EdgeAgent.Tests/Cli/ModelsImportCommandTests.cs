using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>
/// <c>edgeemo models import</c> on folders made from the committed affect-tiny pack with the
/// "files" map taken out of its manifest: what an engineer's export writes.
/// </summary>
public sealed class ModelsImportCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("edgeemo-import-").FullName;

    public ModelsImportCommandTests()
    {
        var pack = TestPaths.Pack("affect-tiny");
        foreach (var file in Directory.EnumerateFiles(pack, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Source, Path.GetRelativePath(pack, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        EditManifest(m => m.Remove("files"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Source => Path.Combine(root, "export");

    private string Out => Path.Combine(root, "pack");

    private static JsonObject ReadManifest(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsObject();

    private static Dictionary<string, string> FilesOf(string folder) =>
        ReadManifest(folder)["files"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    private void EditManifest(Action<JsonObject> edit)
    {
        var manifest = ReadManifest(Source);
        edit(manifest);
        File.WriteAllText(Path.Combine(Source, "manifest.json"), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private Task<(int ExitCode, string Output, string Error)> Import(params string[] more) =>
        CliRunner.RunAsync(["models", "import", Source, "--out", Out, .. more]);

    /// <summary>Only the source folder (and what a test put there on purpose) remains: no pack, no staging folder.</summary>
    private void AssertNothingWritten(params string[] alsoThere) =>
        Assert.Equal(alsoThere.Append("export").Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));

    [Fact]
    public async Task A_folder_without_hashes_becomes_the_same_pack_and_it_verifies()
    {
        File.WriteAllText(Path.Combine(Source, "notes.txt"), "training run 42");

        var (code, output, error) = await Import();

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal(FilesOf(TestPaths.Pack("affect-tiny")), FilesOf(Out));
        Assert.Matches(@"visual\s+cpu\s+fp32\s+\d\.\d{3}e[-+]\d{2}\s+1e-04\s+ok", output);
        Assert.Matches(@"fusion\s+cpu\s+fp32\s+\d\.\d{3}e[-+]\d{2}\s+1e-04\s+ok", output);
        Assert.Contains($"pack affect-tiny 1.0.0 (affect, schema 1) written at {Out}", output, StringComparison.Ordinal);
        Assert.Contains("were left behind: notes.txt", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out, "notes.txt")));
        AssertNothingWritten("pack");

        var (verify, verifyOutput, _) = await CliRunner.RunAsync("models", "verify", Out, "--providers", "cpu");
        Assert.True(verify == ExitCodes.Ok, verifyOutput);
    }

    [Fact]
    public async Task A_NOTICE_and_LICENSE_files_beside_the_manifest_go_into_the_pack_hashed_so_the_weights_credit_travels_with_it()
    {
        File.WriteAllText(Path.Combine(Source, "NOTICE"), "weights by someone, MIT");
        File.WriteAllText(Path.Combine(Source, "LICENSE.weights"), "MIT License");
        File.WriteAllText(Path.Combine(Source, "golden", "NOTICE"), "not beside the manifest");

        var (code, _, error) = await Import();

        Assert.True(code == ExitCodes.Ok, error);
        var files = FilesOf(Out);
        Assert.Equal("weights by someone, MIT", File.ReadAllText(Path.Combine(Out, "NOTICE")));
        Assert.Contains("NOTICE", files.Keys);
        Assert.Contains("LICENSE.weights", files.Keys);
        Assert.DoesNotContain("golden/NOTICE", files.Keys);
        var (verify, verifyOutput, _) = await CliRunner.RunAsync("models", "verify", Out, "--providers", "cpu");
        Assert.True(verify == ExitCodes.Ok, verifyOutput);
    }

    [Fact]
    public async Task A_missing_file_is_named_with_the_manifest_entry_that_names_it_and_nothing_is_written()
    {
        File.Delete(Path.Combine(Source, "golden", "fusion_valence.npy"));
        File.Delete(Path.Combine(Source, "audio_backbone.onnx"));

        var (code, _, error) = await Import();

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains($"error: audio_backbone.onnx (manifest.json $.modalities[1].backbone.file) is not in {Source}", error, StringComparison.Ordinal);
        Assert.Contains($"error: golden/fusion_valence.npy (manifest.json $.golden.cases[2].outputs.valence) is not in {Source}", error, StringComparison.Ordinal);
        Assert.Contains($"import failed: nothing was written to {Out}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task An_onnx_file_whose_inputs_differ_from_the_manifest_is_refused_naming_file_tensor_and_entry()
    {
        // The audio backbone exported under the visual backbone's name: a mix-up an export can make.
        File.Copy(Path.Combine(Source, "audio_backbone.onnx"), Path.Combine(Source, "visual_backbone.onnx"), overwrite: true);

        var (code, _, error) = await Import();

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("error: visual_backbone.onnx: input names are [logmel] in the model but [clip] in the manifest (manifest.json $.modalities[0].backbone",
            error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Outputs_that_differ_from_the_golden_fail_with_tensor_error_and_tolerance_and_leave_no_pack()
    {
        var valence = Path.Combine(Source, "golden", "fusion_valence.npy");
        var bytes = File.ReadAllBytes(valence);
        var last = bytes.AsSpan(bytes.Length - 4);
        BinaryPrimitives.WriteSingleLittleEndian(last, BinaryPrimitives.ReadSingleLittleEndian(last) + 0.25f);
        File.WriteAllBytes(valence, bytes);

        var (code, output, error) = await Import();

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Matches(@"visual\s+cpu\s+fp32\s+\S+\s+1e-04\s+ok", output);
        Assert.Matches(@"fusion\s+cpu\s+fp32\s+2\.50\de-01\s+1e-04\s+FAILED: 'valence' differs from PyTorch", output);
        Assert.Matches(@"error: golden case 2 \(model 'fusion', fusion\.onnx\): output 'valence' differs from golden/fusion_valence\.npy by up to 2\.50\de-01, "
            + @"above the tolerance 1e-04 \(manifest\.json \$\.golden\.cases\[2\]\.outputs\.valence\)", error);
        AssertNothingWritten();
    }

    [Fact]
    public async Task A_failed_import_with_force_leaves_the_pack_already_there_untouched()
    {
        Assert.Equal(ExitCodes.Ok, (await Import()).ExitCode);
        var before = FilesOf(Out);
        File.Delete(Path.Combine(Source, "fusion.onnx"));

        var (code, _, _) = await Import("--force");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal(before, FilesOf(Out));
        Assert.True(File.Exists(Path.Combine(Out, "fusion.onnx")));
        AssertNothingWritten("pack");
    }

    [Fact]
    public async Task An_out_folder_that_is_not_empty_needs_force_and_force_replaces_only_a_pack()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "keep.txt"), "not a pack");

        var (code, _, error) = await Import();
        var (forced, _, forcedError) = await Import("--force");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"error: --out {Out} exists and is not empty; add --force to replace it", error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, forced);
        Assert.Contains("is not a model pack (no manifest.json); --force replaces only a pack folder or an empty one", forcedError, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Out, "keep.txt")));
        AssertNothingWritten("pack");

        File.Delete(Path.Combine(Out, "keep.txt"));
        Assert.Equal(ExitCodes.Ok, (await Import()).ExitCode); // an empty folder is taken as it is
        var (again, _, againError) = await Import();
        var (replaced, replacedOutput, _) = await Import("--force");
        Assert.Equal(ExitCodes.Usage, again);
        Assert.Contains("add --force", againError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, replaced);
        Assert.Contains($"replaced at {Out}", replacedOutput, StringComparison.Ordinal);
        AssertNothingWritten("pack");
    }

    [Fact]
    public async Task A_file_outside_the_folder_is_refused()
    {
        File.Move(Path.Combine(Source, "visual_backbone.onnx"), Path.Combine(root, "visual_backbone.onnx"));
        EditManifest(m => m["modalities"]![0]!["backbone"]!["file"] = "../visual_backbone.onnx");

        var (code, _, error) = await Import();

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("error: '../visual_backbone.onnx' (manifest.json $.modalities[0].backbone.file) is not a path inside the folder: it has a '..' segment",
            error, StringComparison.Ordinal);
        AssertNothingWritten("visual_backbone.onnx");
    }

    [Fact]
    public async Task A_link_that_leads_out_of_the_folder_is_refused()
    {
        var golden = Path.Combine(Source, "golden", "visual_clip.npy");
        File.Move(golden, Path.Combine(root, "visual_clip.npy"));
        File.CreateSymbolicLink(golden, Path.Combine(root, "visual_clip.npy"));

        var (code, _, error) = await Import();

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains($"error: golden/visual_clip.npy (manifest.json $.golden.cases[0].inputs.clip) is a link to {Path.Combine(root, "visual_clip.npy")}, outside {Source}",
            error, StringComparison.Ordinal);
        AssertNothingWritten("visual_clip.npy");
    }

    [Fact]
    public async Task A_files_map_in_the_folder_is_recomputed_with_a_warning()
    {
        EditManifest(m => m["files"] = new JsonObject { ["fusion.onnx"] = new string('0', 64), ["old.onnx"] = new string('1', 64) });

        var (code, _, error) = await Import();

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("has a 'files' map; it was recomputed from the files", error, StringComparison.Ordinal);
        Assert.Equal(FilesOf(TestPaths.Pack("affect-tiny")), FilesOf(Out));
    }

    [Fact]
    public async Task A_manifest_the_reader_refuses_is_reported_with_its_json_path()
    {
        EditManifest(m => m["modalities"]![0]!["backbone"]!["inputs"]![0]!["shape"] = new JsonArray(1, 3, 8, 112));

        var (code, _, error) = await Import();

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("error: manifest.json $.modalities[0].backbone.inputs[0].shape: tensor 'clip' has shape [1, 3, 8, 112]", error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task A_model_without_a_golden_case_is_refused()
    {
        EditManifest(m => m["golden"]!["cases"]!.AsArray().RemoveAt(1));

        var (code, _, error) = await Import();

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("error: model 'audio' (audio_backbone.onnx) has no golden case (manifest.json $.golden.cases)", error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("models", "import", Path.Combine(root, "nowhere"), "--out", Out);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"error: folder {Path.Combine(root, "nowhere")} does not exist", error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    // Loads once the version-2 consistency rules (ManifestConsistency, i14-manifest) are in.
    [Fact]
    public async Task A_version_2_manifest_imports_and_verifies()
    {
        EditManifest(ToVersion2);

        var (code, output, error) = await Import();

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("(affect, schema 2)", output, StringComparison.Ordinal);
        Assert.Equal(FilesOf(TestPaths.Pack("affect-tiny")), FilesOf(Out));
        var (verify, verifyOutput, _) = await CliRunner.RunAsync("models", "verify", Out, "--providers", "cpu");
        Assert.True(verify == ExitCodes.Ok, verifyOutput);
    }

    /// <summary>affect-tiny's manifest in schema version 2 (I14-SPEC.md): one stream per modality, same files.</summary>
    private static void ToVersion2(JsonObject m)
    {
        m["schemaVersion"] = 2;
        var fusion = m["fusion"]!.AsObject();
        var featureDim = fusion["featureDim"]!.GetValue<int>();
        m["clipSpacingFrames"] = fusion["clipSpacingFrames"]!.GetValue<int>();
        fusion.Remove("featureDim");
        fusion.Remove("clipSpacingFrames");
        foreach (var input in fusion["inputs"]!.AsArray())
        {
            var modality = input!["modality"]!.GetValue<string>();
            input.AsObject().Remove("modality");
            input["stream"] = modality;
        }

        foreach (var output in fusion["outputs"]!.AsArray())
        {
            output!["timeAxis"] = 1;
        }

        foreach (var modality in m["modalities"]!.AsArray().Select(x => x!.AsObject()))
        {
            var (key, recipe) = modality["kind"]!.GetValue<string>() == "video" ? ("video", "faceClip") : ("audio", "logmel");
            var parameters = modality[key]!.DeepClone();
            var backbone = modality["backbone"]!.DeepClone();
            modality.Remove(key);
            modality.Remove("backbone");
            modality["streams"] = new JsonArray(new JsonObject
            {
                ["name"] = modality["name"]!.GetValue<string>(),
                ["recipe"] = recipe,
                ["featureDim"] = featureDim,
                [recipe] = parameters,
                ["backbone"] = backbone,
            });
        }
    }
}
