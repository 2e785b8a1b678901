using System.CommandLine;
using System.Globalization;
using EdgeEmotion.EdgeAgent.Plotting;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>--plot FILE</c> of <c>replay</c> and <c>evaluate</c>: checked before any work (like
/// <c>--out</c>, and never the same file), written after the scores, so a plot that cannot be
/// written costs the plot only (docs/plots.md).
/// </summary>
internal sealed class PlotArgument
{
    private readonly Option<string?> plot = new("--plot") { Description = "Also write a self-contained HTML plot: scores over time, modality states, clip ends (docs/plots.md)" };

    public void AddTo(Command command) => command.Add(plot);

    /// <summary>The plot file (null when not asked for); false, with the problem printed, when it cannot be written or is <paramref name="otherOutput"/>.</summary>
    public bool TryGet(ParseResult result, string? otherOutput, out string? file)
    {
        var error = result.InvocationConfiguration.Error;
        file = result.GetValue(plot);
        if (file is null)
        {
            return true;
        }

        if (otherOutput is not null && string.Equals(Path.GetFullPath(file), Path.GetFullPath(otherOutput), StringComparison.Ordinal))
        {
            error.WriteLine($"error: --plot {file} is also the --out file: give the plot its own name (e.g. scores.html)");
            return false;
        }

        return OutputFile.Check("--plot", file, error);
    }

    /// <summary>Writes the plot; a failure is one error line and exit 1, with what else was written named as complete.</summary>
    public static int Write(string file, ScorePlot scorePlot, TextWriter error, string? complete)
    {
        try
        {
            OutputFile.WriteAtomically(file, stream => ScorePlotPage.Write(stream, scorePlot));
            error.WriteLine($"plot -> {file}");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: --plot {file} could not be written: {e.Message}{(complete is null ? "" : $" ({complete} is complete)")}");
            return ExitCodes.Failed;
        }
    }
}

/// <summary>The title area of a replay's plot, from what was run.</summary>
internal static class PlotCaptions
{
    public static PlotCaption For(string command, ReplaySetup setup, PackManifest manifest, double mediaSeconds)
    {
        var inputs = setup.Files.Where(f => f.Value is not null).Select(f => new PlotFact(f.Key, f.Value!)).ToList();
        var streaming = setup.Streaming;
        var missing = streaming.Defaults.Policy == MissingPolicy.Hold
            ? $"hold (up to {streaming.Defaults.MaxHold.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, then substitute)"
            : "substitute";
        var settings = new List<PlotFact>
        {
            new("pack folder", setup.Pack),
            new("hop", streaming.Hop is { } hop ? $"{hop} frames" : $"{manifest.ClipSpacing} frames (the pack's clip spacing)"),
            new("missing", missing),
        };
        if (streaming.Smooth)
        {
            settings.Add(new PlotFact("smoothing", "trailing moving average over the pack's smoothingFrames"));
        }

        settings.Add(new PlotFact("made by", $"edgeemo {AgentVersion.Current}"));
        return new PlotCaption(command, manifest.Id, manifest.Version, manifest.Task,
            string.Equals(manifest.Source?.Weights, "synthetic", StringComparison.OrdinalIgnoreCase), inputs, settings, mediaSeconds);
    }
}
