using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary><c>edgeemo models list|verify|warmup</c>: what packs are here, whether they run as PyTorch did, and their engines built ahead of time.</summary>
internal static class ModelsCommand
{
    /// <summary>Where packs live on a device; a checkout uses models/packs.</summary>
    public const string DevicePacksDirectory = "/var/lib/edgeemo/packs";

    public static Command Create()
    {
        var command = new Command("models", "Inspect and verify model packs");
        command.Add(CreateList());
        command.Add(CreateVerify());
        command.Add(ModelsWarmupCommand.Create());
        command.Add(ModelsImportCommand.Create());
        foreach (var ota in ModelsOtaCommands.Create())
        {
            command.Add(ota);
        }

        return command;
    }

    private static Command CreateList()
    {
        var dir = new Argument<string?>("dir")
        {
            Description = $"Folder holding pack folders (default: models/packs if present, else {DevicePacksDirectory})",
            DefaultValueFactory = _ => null,
        };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var stateDir = ModelsOtaCommands.StateDirOption(null);
        stateDir.Description = "List the packs installed in <state>/packs instead, marking active and previous";
        var command = new Command("list", "List the model packs in a folder, with manifest problems") { dir, json, stateDir };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var store = result.GetValue(stateDir) is { } state ? new Ota.PackStore(state) : null;
            var root = store?.PacksDirectory ?? result.GetValue(dir) ?? (Directory.Exists("models/packs") ? "models/packs" : DevicePacksDirectory);
            if (!Directory.Exists(root))
            {
                result.InvocationConfiguration.Error.WriteLine(File.Exists(root)
                    ? $"error: {root} is a file: give the folder that holds the pack folders"
                    : $"error: folder {root} does not exist");
                return ExitCodes.Usage;
            }

            var entries = store is null
                ? Directory.EnumerateDirectories(root)
                    .Where(d => File.Exists(Path.Combine(d, ManifestReader.FileName)))
                    .Order(StringComparer.Ordinal)
                    .Select(Describe)
                    .ToList()
                : store.InstalledFolders().Select(d => Describe(d) with { Role = RoleOf(store, d) }).ToList();
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize<IReadOnlyList<PackListEntry>>(entries, CliJsonContext.Default.IReadOnlyListPackListEntry));
            }
            else if (entries.Count == 0)
            {
                output.WriteLine($"no model packs in {root}");
            }
            else
            {
                output.WriteLine($"{"pack",-16} {"version",-8} {"task",-7} {"modalities",-18} {"size",9}  folder");
                foreach (var e in entries)
                {
                    output.WriteLine(e.Error is null
                        ? $"{e.Id,-16} {e.Version,-8} {e.Task,-7} {string.Join('+', e.Modalities),-18} {FormatBytes(e.Bytes),9}  {e.Directory}{(e.Role is null ? "" : $"  [{e.Role}]")}"
                        : $"{"(invalid)",-16} {"",-8} {"",-7} {"",-18} {FormatBytes(e.Bytes),9}  {e.Directory}: {e.Error.Message}");
                }
            }

            return entries.Any(e => e.Error is not null) ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static string? RoleOf(Ota.PackStore store, string directory) =>
        directory == store.Resolve(Ota.PackStore.ActiveLink) ? Ota.PackStore.ActiveLink
        : directory == store.Resolve(Ota.PackStore.PreviousLink) ? Ota.PackStore.PreviousLink
        : null;

    // Listing reads manifests only; hashing every model is what `verify` is for.
    private static PackListEntry Describe(string directory)
    {
        var bytes = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        try
        {
            var manifest = ManifestReader.ReadFile(Path.Combine(directory, ManifestReader.FileName));
            ManifestConsistency.Check(manifest);
            return new PackListEntry(directory, manifest.Id, manifest.Version, manifest.Task, manifest.Modalities.Select(m => m.Name).ToList(), bytes, null);
        }
        catch (ModelPackException e)
        {
            return new PackListEntry(directory, null, null, null, [], bytes, ToReport(e));
        }
    }

    private static Command CreateVerify()
    {
        var pack = new Argument<string>("pack-dir") { Description = "The pack folder (holds manifest.json)" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var inference = new InferenceArguments();
        var command = new Command("verify", "Check a pack's files and hashes, load every model, and compare outputs with the PyTorch goldens") { pack, json };
        inference.AddTo(command);
        inference.AddFaceModelsTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var dir = result.GetValue(pack)!;
            if (!inference.TryBuild(result, out var options) || !inference.TryBuildFaceModels(result, out var faceModels))
            {
                return ExitCodes.Usage;
            }

            using var loggerFactory = inference.CreateLoggerFactory(result);
            var warmup = new EngineWarmup(new ModelSessionFactory(options, loggerFactory.CreateLogger<ModelSessionFactory>()), loggerFactory, faceModels);
            var report = await Task.Run(() => Verify(dir, warmup, cancellationToken), cancellationToken);
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.VerifyReport));
            }
            else
            {
                WriteHuman(output, report);
            }

            return report.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>Loads the pack, opens its models through <paramref name="warmup"/> and runs its golden cases.</summary>
    internal static VerifyReport Verify(string dir, EngineWarmup warmup, CancellationToken cancellationToken)
    {
        ModelPack? pack = null;
        try
        {
            pack = ModelPackLoader.Load(dir);
            using var warmed = warmup.Open(pack, progress: null, cancellationToken);
            // The face models ran their goldens as they opened (a failure throws); they are listed after the pack's.
            var results = GoldenSelfTest.Run(warmed.Sessions, cancellationToken).Concat(warmed.Faces?.Goldens ?? []);
            var models = results
                .Select(r => new ModelReport(r.Model, r.File, r.Provider, r.Precision, double.IsFinite(r.MaxAbsError) ? r.MaxAbsError : null,
                    r.Tolerance, r.Passed, r.Problem, warmed[r.Model].Engine?.StateName))
                .ToList();
            return new VerifyReport(pack.Directory, pack.Id, pack.Manifest.Version, pack.Manifest.Task,
                models.Count > 0 && models.All(m => m.Passed), pack.Manifest.Files.Count, models, null, PackLayoutReport.Of(pack.Manifest));
        }
        catch (ModelPackException e)
        {
            return Failure(dir, pack, ToReport(e));
        }
        catch (ExecutionProviderException e)
        {
            return Failure(dir, pack, new PackErrorReport("ExecutionProvider", pack?.Id ?? dir, e.Message));
        }
    }

    private static VerifyReport Failure(string dir, ModelPack? pack, PackErrorReport error) =>
        new(pack?.Directory ?? Path.GetFullPath(dir), pack?.Id, pack?.Manifest.Version, pack?.Manifest.Task, false, 0, [], error);

    private static void WriteHuman(TextWriter output, VerifyReport report)
    {
        if (report.Error is { } error)
        {
            output.WriteLine($"pack {report.Pack}");
            output.WriteLine($"  FAILED ({error.Kind}): {error.Message}");
            return;
        }

        output.WriteLine($"pack {report.Id} {report.Version} ({report.Task}) at {report.Pack}");
        report.Layout?.WriteHuman(output);
        output.WriteLine($"  files: {report.FilesVerified} verified by sha256");
        var width = Math.Max(10, report.Models.Select(m => m.Model.Length).DefaultIfEmpty(0).Max());
        output.WriteLine($"  {"model".PadRight(width)} {"provider",-9} {"precision",-9} {"max abs error",14} {"tolerance",10}  result");
        foreach (var m in report.Models)
        {
            var maxError = m.MaxAbsError is { } e ? e.ToString("0.000e+00", CultureInfo.InvariantCulture) : "-";
            var verdict = m.Passed ? "ok" : m.Problem ?? "FAILED: outputs differ from PyTorch";
            output.WriteLine($"  {m.Model.PadRight(width)} {m.Provider,-9} {m.Precision,-9} {maxError,14} {m.Tolerance.ToString("0.##e+00", CultureInfo.InvariantCulture),10}  {verdict}");
        }

        output.WriteLine(report.Ok ? "verify: ok" : "verify: FAILED");
    }

    internal static PackErrorReport ToReport(ModelPackException e) => new(e.Kind.ToString(), e.Location, e.Message);

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
