using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Configuration;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Import;

/// <summary>
/// Turns a folder of ONNX files, golden .npy tensors and a manifest without hashes into a pack:
/// lists and checks every file the manifest names, hashes them, writes the pack into a staging
/// folder beside the target, loads it, opens its models (the ONNX signatures are checked there)
/// and runs the golden self-test, and only then renames it into place. Any failure removes the
/// staging folder, so the target is either the verified pack or untouched.
/// </summary>
internal sealed class PackImporter(EngineWarmup warmup)
{
    private const string StagingInfix = ".import-";
    private const string ReplacedInfix = ".replaced-";

    private static readonly JsonSerializerOptions ManifestFormat = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <exception cref="PackImportException">Every problem found; nothing was written.</exception>
    /// <exception cref="ModelPackException">The manifest does not parse or is inconsistent; nothing was written.</exception>
    public ImportOutcome Import(string source, string output, bool force, CancellationToken cancellationToken)
    {
        var sourceFull = SourceFolder(source);
        var target = CheckOutput(sourceFull, output, force);
        var plan = Plan(sourceFull);
        var staging = CreateStaging(target);
        try
        {
            Write(plan, staging, cancellationToken);
            var golden = SelfTest(plan, staging, cancellationToken);
            var replaced = Publish(staging, target);
            return new ImportOutcome(target, plan, golden, replaced);
        }
        catch
        {
            Discard(staging);
            throw;
        }
    }

    /// <summary>Reads the folder's manifest, checks every file it names and hashes them; writes nothing.</summary>
    /// <param name="full">The source folder, absolute (<see cref="SourceFolder"/>).</param>
    private static ImportPlan Plan(string full)
    {
        var manifestPath = Path.Combine(full, ManifestReader.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelPackException(PackErrorKind.ManifestUnreadable, ManifestReader.FileName,
                $"no {ManifestReader.FileName} in {full}: the folder to import holds the ONNX files, the golden .npy files and a manifest without a 'files' map");
        }

        var root = ReadObject(manifestPath);
        var recomputed = root.Remove("files");

        // The reader requires "files"; an empty map stands in until the files are known and hashed.
        root["files"] = new JsonObject();
        var references = ManifestReferences.Of(ManifestReader.Parse(root.ToJsonString()));
        var problems = references
            .DistinctBy(r => r.File, StringComparer.Ordinal)
            .Select(r => Locate(full, r))
            .OfType<string>()
            .ToList();
        if (problems.Count > 0)
        {
            throw new PackImportException(problems);
        }

        var files = references.Select(r => r.File).Concat(LicenceFiles(full)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .ToDictionary(f => f, f => ModelPackLoader.Sha256Hex(Path.Combine(full, f)), StringComparer.Ordinal);
        root["files"] = new JsonObject(files.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value))));
        var parsed = ManifestReader.Parse(root.ToJsonString());
        ManifestConsistency.Check(parsed);

        var leftBehind = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(full, f).Replace('\\', '/'))
            .Where(f => f != ManifestReader.FileName && !files.ContainsKey(f))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new ImportPlan(full, root, parsed, files, references, leftBehind, recomputed);
    }

    /// <summary>
    /// NOTICE and LICENSE* files beside the manifest: the credit and licence of trained weights
    /// travel with the pack (hashed like the models, and in its OTA bundles).
    /// </summary>
    private static IEnumerable<string> LicenceFiles(string folder) =>
        Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>()
            .Where(name => name == "NOTICE" || name.StartsWith("LICENSE", StringComparison.Ordinal));

    private static string SourceFolder(string source)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        if (!Directory.Exists(full))
        {
            throw new PackImportException([File.Exists(full)
                ? $"{full} is a file: give the folder that holds the manifest, the ONNX files and the goldens"
                : $"folder {full} does not exist"], isUsage: true);
        }

        return full;
    }

    /// <summary>The absolute target folder, once it is known that it may be written.</summary>
    private static string CheckOutput(string source, string output, bool force)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(output));
        if (IsSameOrInside(target, source) || IsSameOrInside(source, target))
        {
            throw Usage($"--out {target} must lie outside the folder being imported ({source}) and not hold it");
        }

        if (File.Exists(target))
        {
            throw Usage($"--out {target} is a file; give a folder for the pack");
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            if (!force)
            {
                throw Usage($"--out {target} exists and is not empty; add --force to replace it");
            }

            // --force replaces a pack, never a folder that holds something else.
            if (!File.Exists(Path.Combine(target, ManifestReader.FileName)))
            {
                throw Usage($"--out {target} is not a model pack (no {ManifestReader.FileName}); --force replaces only a pack folder or an empty one");
            }
        }

        return target;
    }

    private static bool IsSameOrInside(string path, string folder) =>
        path == folder || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static PackImportException Usage(string message) => new([message], isUsage: true);

    private static JsonObject ReadObject(string manifestPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(manifestPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelPackException(PackErrorKind.ManifestUnreadable, ManifestReader.FileName, $"cannot read {manifestPath}: {e.Message}", e);
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new ModelPackException(PackErrorKind.InvalidValue, $"{ManifestReader.FileName} $", "the manifest must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModelPackException(PackErrorKind.ManifestUnreadable, ManifestReader.FileName,
                $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
    }

    /// <summary>Why a referenced file cannot go into the pack, or null when it can.</summary>
    private static string? Locate(string folder, FileReference reference)
    {
        var where = $"{ManifestReader.FileName} {reference.JsonPath}";
        if (PackPaths.Problem(reference.File) is { } problem)
        {
            return $"'{PrintableText.Escape(reference.File)}' ({where}) is not a path inside the folder: it {problem}";
        }

        var path = Path.Combine(folder, reference.File);
        if (Directory.Exists(path))
        {
            return $"{reference.File} ({where}) is a folder, not a file";
        }

        if (!File.Exists(path))
        {
            return $"{reference.File} ({where}) is not in {folder}";
        }

        // A link may lead out of the folder; the pack must hold the file itself.
        var current = folder;
        foreach (var name in reference.File.Split('/'))
        {
            current = Path.Combine(current, name);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null
                && info.ResolveLinkTarget(returnFinalTarget: true)?.FullName is var resolved
                && (resolved is null || !IsSameOrInside(Path.GetFullPath(resolved), folder)))
            {
                return $"{reference.File} ({where}) is a link to {resolved ?? info.LinkTarget}, outside {folder}";
            }
        }

        return null;
    }

    private static string CreateStaging(string target)
    {
        var parent = Path.GetDirectoryName(target) ?? throw Usage($"--out {target} has no parent folder");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, "." + Path.GetFileName(target) + StagingInfix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(staging);
        return staging;
    }

    private static void Write(ImportPlan plan, string staging, CancellationToken cancellationToken)
    {
        foreach (var file in plan.Files.Keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(staging, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var from = File.OpenRead(Path.Combine(plan.Source, file));
            using var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            from.CopyTo(to);
            to.Flush(flushToDisk: true);
        }

        using (var manifest = new FileStream(Path.Combine(staging, ManifestReader.FileName), FileMode.CreateNew, FileAccess.Write))
        using (var writer = new StreamWriter(manifest))
        {
            writer.Write(plan.Manifest.ToJsonString(ManifestFormat));
            writer.Write('\n');
            writer.Flush();
            manifest.Flush(flushToDisk: true);
        }

        foreach (var folder in Directory.EnumerateDirectories(staging, "*", SearchOption.AllDirectories).Append(staging))
        {
            DirectorySync.Flush(folder);
        }
    }

    /// <summary>Loads the staged pack as <c>models verify</c> does, on the CPU, and runs every golden case.</summary>
    private IReadOnlyList<GoldenResult> SelfTest(ImportPlan plan, string staging, CancellationToken cancellationToken)
    {
        IReadOnlyList<GoldenResult> results;
        try
        {
            var pack = ModelPackLoader.Load(staging);
            using var warmed = warmup.Open(pack, progress: null, cancellationToken);
            results = GoldenSelfTest.Run(warmed.Sessions, cancellationToken);
        }
        catch (ModelPackException e)
        {
            throw new PackImportException([Describe(e, plan)]);
        }
        catch (ExecutionProviderException e)
        {
            throw new PackImportException([e.Message]);
        }

        var cases = plan.Parsed.Golden.Cases;
        var problems = PackSessions.Models(plan.Parsed)
            .Where(m => !cases.Any(c => c.Model == m.Name))
            .Select(m => $"model '{m.Name}' ({m.Spec.File}) has no golden case ({ManifestReader.FileName} $.golden.cases): an import proves every model against the outputs of the framework it was trained in")
            // Results past the cases (a self-test that also reports models without one) are covered above.
            .Concat(results.Select((r, i) => i < cases.Count && r.Model == cases[i].Model ? Failure(r, i, cases[i]) : null).OfType<string>())
            .ToList();
        return problems.Count > 0 ? throw new PackImportException(problems, golden: results) : results;
    }

    private static string? Failure(GoldenResult result, int index, GoldenCase goldenCase)
    {
        var what = $"golden case {index} (model '{result.Model}', {result.File})";
        if (result.Problem is { } problem)
        {
            return $"{what}: {problem} ({ManifestReader.FileName} $.golden.cases[{index}])";
        }

        if (result.Passed)
        {
            return null;
        }

        var tensor = result.WorstOutput ?? "?";
        var file = goldenCase.Outputs.GetValueOrDefault(tensor, "?");
        var error = double.IsFinite(result.MaxAbsError) ? result.MaxAbsError.ToString("0.000e+00", CultureInfo.InvariantCulture) : "NaN";
        return $"{what}: output '{tensor}' differs from {file} by up to {error}, above the tolerance "
            + $"{result.Tolerance.ToString("0.##e+00", CultureInfo.InvariantCulture)} ({ManifestReader.FileName} $.golden.cases[{index}].outputs.{tensor}); "
            + "the ONNX model does not compute what the framework did";
    }

    /// <summary>The loader's message, with the manifest entry that declares the file it names.</summary>
    private static string Describe(ModelPackException e, ImportPlan plan)
    {
        var declared = plan.References.FirstOrDefault(r => string.Equals(r.File, e.Location, StringComparison.Ordinal));
        var where = $"({ManifestReader.FileName} $";
        if (declared is null || e.Kind is PackErrorKind.MissingFile or PackErrorKind.HashMismatch || e.Message.Contains(where, StringComparison.Ordinal))
        {
            return e.Message;
        }

        // A model's signature is declared by the object that holds "file": point there.
        var path = declared.JsonPath.EndsWith(".file", StringComparison.Ordinal) ? declared.JsonPath[..^".file".Length] : declared.JsonPath;
        return $"{e.Message} ({ManifestReader.FileName} {path})";
    }

    /// <summary>Renames the verified staging folder to the target; an existing pack there is moved aside first and removed after.</summary>
    /// <returns>True when a pack was replaced.</returns>
    private static bool Publish(string staging, string target)
    {
        var parent = Path.GetDirectoryName(target)!;
        var replaced = Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any();
        if (!replaced)
        {
            // rename(2) replaces an empty folder in one step.
            PosixRename.Rename(staging, target);
            DirectorySync.Flush(parent);
            return false;
        }

        var aside = Path.Combine(parent, "." + Path.GetFileName(target) + ReplacedInfix + Guid.NewGuid().ToString("N")[..12]);
        PosixRename.Rename(target, aside);
        try
        {
            PosixRename.Rename(staging, target);
        }
        catch
        {
            PosixRename.Rename(aside, target);
            throw;
        }

        DirectorySync.Flush(parent);
        Discard(aside);
        return true;
    }

    private static void Discard(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Hidden and named as an import's; a later look at the folder shows it.
        }
    }
}
