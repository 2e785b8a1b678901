using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo models warmup</c>: opens every model of a pack on the configured providers so that
/// TensorRT builds its engines now (minutes each on a Jetson) rather than at the service's start,
/// printing progress per model, then removes stale engine cache folders. A pack whose face recipe
/// uses the trained detector warms the agent's face models too.
/// </summary>
internal static class ModelsWarmupCommand
{
    public static Command Create()
    {
        var pack = new Argument<string>("pack-dir") { Description = "The pack folder (holds manifest.json)" };
        var json = new Option<bool>("--json") { Description = "Machine-readable report on stdout (progress goes to stderr)" };
        var stateDir = ModelsOtaCommands.StateDirOption(null);
        stateDir.Description = "Agent state folder: engines of the packs active and previous there are kept when the cache is cleaned; "
            + "without it only folders of another ONNX Runtime, TensorRT or GPU are removed";
        var inference = new InferenceArguments();
        var command = new Command("warmup", "Build or find the TensorRT engine of every model of a pack ahead of time, then remove stale cache folders")
        {
            pack, json, stateDir,
        };
        inference.AddTo(command);
        inference.AddFaceModelsTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!inference.TryBuild(result, out var options) || !inference.TryBuildFaceModels(result, out var faceModels))
            {
                return ExitCodes.Usage;
            }

            var asJson = result.GetValue(json);
            var output = result.InvocationConfiguration.Output;
            using var loggerFactory = inference.CreateLoggerFactory(result);
            var warmup = new EngineWarmup(new ModelSessionFactory(options, loggerFactory.CreateLogger<ModelSessionFactory>()), loggerFactory, faceModels);
            var store = result.GetValue(stateDir) is { } state ? new PackStore(state) : null;
            var progress = new ConsoleWarmupProgress(asJson ? result.InvocationConfiguration.Error : output);
            var report = await Task.Run(() => Warm(result.GetValue(pack)!, warmup, store, progress, cancellationToken), cancellationToken);
            if (asJson)
            {
                output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.WarmupReport));
            }
            else
            {
                WriteSummary(output, report);
            }

            return report.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>Loads the pack, opens (and closes) every model, then cleans the cache; a failure is reported, not thrown.</summary>
    internal static WarmupReport Warm(string dir, EngineWarmup warmup, PackStore? store, IWarmupProgress? progress, CancellationToken cancellationToken)
    {
        ModelPack? pack = null;
        try
        {
            pack = ModelPackLoader.Load(dir);
            List<WarmupModelReport> models;
            using (var warmed = warmup.Open(pack, progress, cancellationToken))
            {
                models = warmed.All
                    .Select((s, i) => new WarmupModelReport(i + 1, s.Name, s.Spec.File, s.Provider.ConfigName(), s.Precision,
                        s.Engine?.StateName, s.Engine?.CacheFolder, Math.Round(s.OpenTime.TotalSeconds, 3)))
                    .ToList();
            }

            // Keep the engines of every pack the device may run: this one and, when known, active and previous.
            IReadOnlyList<PackManifest>? installed = store is null ? null
                : store.LinkedManifests() is { } linked ? [.. linked, pack.Manifest]
                : null;
            var cleanup = warmup.CleanCache(installed);
            return new WarmupReport(pack.Directory, pack.Id, pack.Manifest.Version, true, warmup.CacheRoot, models, cleanup.Removed, cleanup.SkippedBecause, null);
        }
        catch (ModelPackException e)
        {
            return Failure(dir, pack, warmup, ModelsCommand.ToReport(e));
        }
        catch (ExecutionProviderException e)
        {
            return Failure(dir, pack, warmup, new PackErrorReport("ExecutionProvider", pack?.Id ?? dir, e.Message));
        }
    }

    private static WarmupReport Failure(string dir, ModelPack? pack, EngineWarmup warmup, PackErrorReport error) =>
        new(pack?.Directory ?? Path.GetFullPath(dir), pack?.Id, pack?.Manifest.Version, false, warmup.CacheRoot, [], [], "the warm-up failed", error);

    private static void WriteSummary(TextWriter output, WarmupReport report)
    {
        if (report.Error is { } error)
        {
            output.WriteLine($"warmup of {report.Id ?? report.Pack}: FAILED ({error.Kind}): {error.Message}");
            return;
        }

        output.WriteLine(report.CleanSkipped is { } why
            ? $"cache {report.CacheRoot}: not cleaned ({why})"
            : $"cache {report.CacheRoot}: {report.Removed.Count} stale folder(s) removed{(report.Removed.Count > 0 ? ": " + string.Join(", ", report.Removed) : "")}");
        output.WriteLine($"warmup: ok ({report.Id} {report.Version}, {report.Models.Count} models, {report.Models.Sum(m => m.Seconds).ToString("F1", CultureInfo.InvariantCulture)} s)");
    }

    /// <summary>Prints one line as each model starts opening and one as it is ready, so a minutes-long engine build shows it is alive.</summary>
    private sealed class ConsoleWarmupProgress(TextWriter writer) : IWarmupProgress
    {
        public void Opening(int index, int count, string model, string file) =>
            writer.WriteLine($"[{index}/{count}] {model} ({file}): opening");

        public void Opened(ModelWarmup model)
        {
            var seconds = model.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
            var engine = model.Engine is { } e
                ? $", engine {e.StateName}{(e.CacheFolder is { } folder ? $" in {Path.GetFileName(folder)}" : "")}"
                : "";
            writer.WriteLine($"[{model.Index}/{model.Count}] {model.Model}: {model.Provider.ConfigName()} {model.Precision}{engine}, {seconds} s");
        }
    }
}
