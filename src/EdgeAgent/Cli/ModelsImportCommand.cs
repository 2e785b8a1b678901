using System.CommandLine;
using System.Globalization;
using EdgeEmotion.EdgeAgent.Import;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo models import &lt;folder&gt; --out &lt;pack&gt; [--force]</c>: a folder of ONNX files,
/// golden tensors and a manifest without hashes, from an engineer's own training code, becomes a
/// pack that <c>models verify</c> accepts, or nothing is written and every problem is named.
/// </summary>
internal static class ModelsImportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder")
        {
            Description = "Folder holding manifest.json (schema 1 or 2, no 'files' map needed), the ONNX files and the golden .npy files it names",
        };
        var outDir = new Option<string>("--out") { Description = "Pack folder to write (written beside it first, renamed into place once verified)", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the pack already at --out" };
        var command = new Command("import", "Make a verified pack from exported ONNX files, golden tensors and a manifest without hashes") { folder, outDir, force };
        command.SetAction((result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;

            // The CPU provider is the reference the goldens are held to; other providers are for `models verify` on the device.
            var options = new InferenceOptions { Providers = [ExecutionProviderKind.Cpu], WarmupRuns = 0 };
            var warmup = new EngineWarmup(new ModelSessionFactory(options, NullLogger<ModelSessionFactory>.Instance), NullLoggerFactory.Instance);
            var importer = new PackImporter(warmup);
            var target = Path.GetFullPath(result.GetValue(outDir)!);
            try
            {
                var outcome = importer.Import(result.GetValue(folder)!, target, result.GetValue(force), cancellationToken);
                WriteSuccess(output, error, outcome);
                return Task.FromResult(ExitCodes.Ok);
            }
            catch (PackImportException e)
            {
                if (e.Golden.Count > 0)
                {
                    WriteGolden(output, e.Golden);
                }

                foreach (var problem in e.Problems)
                {
                    error.WriteLine($"error: {problem}");
                }

                if (!e.IsUsage)
                {
                    error.WriteLine($"import failed: nothing was written to {target}");
                }

                return Task.FromResult(e.IsUsage ? ExitCodes.Usage : ExitCodes.Failed);
            }
            catch (ModelPackException e)
            {
                error.WriteLine($"error: {e.Message}");
                error.WriteLine($"import failed: nothing was written to {target}");
                return Task.FromResult(ExitCodes.Failed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {e.Message}");
                error.WriteLine($"import failed: nothing was written to {target}");
                return Task.FromResult(ExitCodes.Failed);
            }
        });
        return command;
    }

    private static void WriteSuccess(TextWriter output, TextWriter error, ImportOutcome outcome)
    {
        var plan = outcome.Plan;
        if (plan.RecomputedFiles)
        {
            error.WriteLine($"warning: {ManifestReader.FileName} in {plan.Source} has a 'files' map; it was recomputed from the files");
        }

        if (plan.LeftBehind.Count > 0)
        {
            error.WriteLine($"warning: {plan.LeftBehind.Count} file(s) in {plan.Source} are not named by the manifest and were left behind: {string.Join(", ", plan.LeftBehind)}");
        }

        var manifest = plan.Parsed;
        output.WriteLine($"imported {plan.Source}");
        output.WriteLine($"pack {manifest.Id} {manifest.Version} ({manifest.Task}, schema {manifest.SchemaVersion}) {(outcome.Replaced ? "replaced" : "written")} at {outcome.Output}");
        output.WriteLine($"  {ManifestReader.FileName} with the sha256 of {plan.Files.Count} files:");
        foreach (var (file, sha256) in plan.Files)
        {
            var bytes = new FileInfo(Path.Combine(outcome.Output, file)).Length;
            output.WriteLine($"    {sha256[..12]}  {ModelsCommand.FormatBytes(bytes),9}  {file}");
        }

        WriteGolden(output, outcome.Golden);
        output.WriteLine("import: ok");
        output.WriteLine($"next: edgeemo models verify {outcome.Output} (on the device, with its providers and precision)");
    }

    /// <summary>The golden results, in the columns of <c>models verify</c>.</summary>
    private static void WriteGolden(TextWriter output, IReadOnlyList<GoldenResult> results)
    {
        // Stream and imagination names (audio_logmel, imagine.audio) outgrow verify's 10 columns.
        var width = results.Select(r => r.Model.Length).Append(10).Max();
        output.WriteLine($"  {"model".PadRight(width)} {"provider",-9} {"precision",-9} {"max abs error",14} {"tolerance",10}  result");
        foreach (var r in results)
        {
            var maxError = double.IsFinite(r.MaxAbsError) ? r.MaxAbsError.ToString("0.000e+00", CultureInfo.InvariantCulture) : "-";
            var verdict = r.Passed ? "ok" : r.Problem ?? $"FAILED: '{r.WorstOutput}' differs from PyTorch";
            output.WriteLine($"  {r.Model.PadRight(width)} {r.Provider,-9} {r.Precision,-9} {maxError,14} {r.Tolerance.ToString("0.##e+00", CultureInfo.InvariantCulture),10}  {verdict}");
        }
    }
}
