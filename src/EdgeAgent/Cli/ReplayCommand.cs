using System.CommandLine;
using System.Diagnostics;
using System.Text;
using EdgeEmotion.EdgeAgent.Plotting;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo replay</c>: scores recorded media with a pack, exactly as the device would stream
/// it (causal, one backbone run per clip), one JSON line per output.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var inputs = new ReplayInputs();
        var output = new Option<string>("--out") { Description = "Output JSON Lines file", Required = true };
        var smooth = new Option<bool>("--smooth") { Description = "Moving average over the pack's smoothingFrames" };
        var latency = new Option<bool>("--latency") { Description = "Write per-stage latency into each line (the file then differs run to run)" };
        var plot = new PlotArgument();
        var command = new Command("replay", "Score recorded video, audio and EDA with a model pack; one JSON line per output, a summary on stderr");
        inputs.AddTo(command);
        command.Add(output);
        command.Add(smooth);
        command.Add(latency);
        plot.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            if (!inputs.TryBuild(result, result.GetValue(smooth), out var setup))
            {
                return ExitCodes.Usage;
            }

            var outFile = result.GetValue(output)!;
            if (!OutputFile.Check("--out", outFile, error) || !plot.TryGet(result, outFile, out var plotFile))
            {
                return ExitCodes.Usage;
            }

            using var loggerFactory = inputs.Inference.CreateLoggerFactory(result);
            try
            {
                return await RunAsync(setup, outFile, plotFile, result.GetValue(latency), loggerFactory, error, cancellationToken);
            }
            catch (Exception e) when (e is ModelPackException or ExecutionProviderException or SourceException or ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {e.Message}");
                return e is ArgumentException ? ExitCodes.Usage : ExitCodes.Failed;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ReplaySetup setup, string outFile, string? plotFile, bool latency, ILoggerFactory loggerFactory, TextWriter error, CancellationToken cancellationToken)
    {
        var pack = ReplaySession.LoadPack(setup);
        var summary = new ReplaySummary(pack.Manifest);
        var trace = plotFile is null ? null : new ReplayTrace(pack.Manifest);
        var partial = OutputFile.Partial(outFile);
        var clock = Stopwatch.StartNew();
        ReplaySession session;
        await using (var writer = new StreamWriter(partial, append: false, new UTF8Encoding(false)))
        {
            session = await ReplaySession.RunAsync(setup, pack, loggerFactory, error, async (output, ct) =>
            {
                var line = ScoreJson.Serialize(output, latency);
                await writer.WriteLineAsync(line.AsMemory(), ct);
                summary.Add(output);
                trace?.Add(line);
            }, cancellationToken);
        }

        // Only a finished replay takes the output name: a cancelled or failed one leaves .partial.
        File.Move(partial, outFile, overwrite: true);
        summary.Write(error, session.Counters, session.Driver, clock.Elapsed, outFile);

        // The scores are complete before the plot is drawn: a plot that fails costs only itself.
        return plotFile is null || trace is null
            ? ExitCodes.Ok
            : PlotArgument.Write(plotFile, new ScorePlot(PlotCaptions.For("replay", setup, pack.Manifest, session.Driver.MediaEnd.TotalSeconds), trace), error, outFile);
    }
}
