using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Evaluation;
using EdgeEmotion.EdgeAgent.Plotting;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo evaluate</c>: scores recorded media exactly as <c>replay</c> does, spreads the
/// per-clip outputs over the video's frames (live and/or centred, docs/evaluate.md) and compares
/// them with per-frame labels: CCC for valence and arousal, accuracy and MAE for a pain level.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var inputs = new ReplayInputs(videoRequired: true);
        var labels = new Option<string>("--labels") { Description = "Per-frame labels: a header (valence,arousal or level), then one line per video frame; -5 is unlabelled", Required = true };
        var assign = new Option<string>("--assign")
        {
            Description = "How clip outputs become frame predictions: live (newest output a device had), centred (the clip centred nearest, as the paper), or both",
            DefaultValueFactory = _ => "both",
        };
        assign.AcceptOnlyFromAmong("live", "centred", "both");
        var smooth = new Option<bool>("--smooth") { Description = "Centred moving average over per-frame predictions before scoring (the pack's smoothingFrames: 20 valence, 50 arousal)" };
        var window = new Option<string[]>("--smooth-window")
        {
            Description = "OUTPUT=FRAMES: the moving-average window of an output, replacing the pack's (repeatable)",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var output = new Option<string?>("--out") { Description = "Per-frame CSV: frame, time, clip and prediction per assignment, labels" };
        var plot = new PlotArgument();
        var command = new Command("evaluate", "Score recorded media as replay does and compare per-frame predictions with labels (CCC, accuracy)");
        inputs.AddTo(command);
        command.Add(labels);
        command.Add(assign);
        command.Add(smooth);
        command.Add(window);
        command.Add(json);
        command.Add(output);
        plot.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            if (!inputs.TryBuild(result, smooth: false, out var setup))
            {
                return ExitCodes.Usage;
            }

            var labelFile = result.GetValue(labels)!;
            if (!InputFile.Check("--labels", labelFile, error))
            {
                return ExitCodes.Usage;
            }

            if ((result.GetValue(output) is { } csv && !OutputFile.Check("--out", csv, error)) || !plot.TryGet(result, result.GetValue(output), out var plotFile))
            {
                return ExitCodes.Usage;
            }

            var request = new EvaluateRequest(
                setup, labelFile, result.GetValue(assign)!, result.GetValue(smooth), result.GetValue(window) ?? [], result.GetValue(json), result.GetValue(output), plotFile);
            using var loggerFactory = inputs.Inference.CreateLoggerFactory(result);
            try
            {
                return await RunAsync(request, loggerFactory, result.InvocationConfiguration.Output, error, cancellationToken);
            }
            catch (Exception e) when (e is ModelPackException or ExecutionProviderException or SourceException or ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {e.Message}");
                return e is ArgumentException ? ExitCodes.Usage : ExitCodes.Failed;
            }
        });
        return command;
    }

    private sealed record EvaluateRequest(
        ReplaySetup Setup, string Labels, string Assign, bool Smooth, IReadOnlyList<string> Windows, bool Json, string? Out, string? Plot);

    private static async Task<int> RunAsync(EvaluateRequest request, ILoggerFactory loggerFactory, TextWriter stdout, TextWriter error, CancellationToken cancellationToken)
    {
        var pack = ReplaySession.LoadPack(request.Setup);
        var manifest = pack.Manifest;
        var smoothing = request.Smooth ? SmoothingWindows(manifest, request.Windows) : null;
        if (!request.Smooth && request.Windows.Count > 0)
        {
            throw new ArgumentException("--smooth-window needs --smooth");
        }

        // The text and the names are checked before any decoding; the count once the video is open.
        var labelFile = LabelFile.Read(request.Labels);
        LabelColumns.Bind(labelFile, manifest, labelFile.Rows.Count);
        var outputs = new List<ScoreOutput>();
        var trace = request.Plot is null ? null : new ReplayTrace(manifest);
        var session = await ReplaySession.RunAsync(request.Setup, pack, loggerFactory, error, (o, _) =>
        {
            outputs.Add(o);
            trace?.Add(ScoreJson.Serialize(o, includeLatency: false));
            return ValueTask.CompletedTask;
        }, cancellationToken, opened: (_, reported) =>
        {
            if (reported is { } count)
            {
                CheckCount(labelFile, count, null);
            }
        });

        var frames = (int)session.VideoFramesRead;
        CheckCount(labelFile, frames, error);
        var columns = LabelColumns.Bind(labelFile, manifest, frames);
        var videoSpec = PackSources.FrameClock(manifest);
        var clipSpan = videoSpec.SpanFrames / videoSpec.FrameRate;
        var frameRate = session.VideoFrameRate!.Value;
        var assignments = request.Assign switch
        {
            "live" => [FrameAssignment.Live],
            "centred" => [FrameAssignment.Centred],
            _ => new[] { FrameAssignment.Live, FrameAssignment.Centred },
        };
        var predictions = assignments.Select(a =>
        {
            var p = FramePredictions.Build(outputs, manifest, clipSpan, frames, frameRate, a);
            return smoothing is null ? p : p.Smoothed(smoothing);
        }).ToList();
        var figures = predictions.Select(p => Scorer.Score(p, columns, manifest, smoothing)).ToList();
        if (request.Out is { } csv)
        {
            PredictionCsv.Write(csv, predictions, columns);
        }

        var report = new EvaluateReport(pack.Id, request.Setup.Files[ModalityKinds.Video]!, request.Labels, frameRate, frames, labelFile.Rows.Count, outputs.Count,
            smoothing?.Where(s => columns.Any(c => c.Output == s.Key)).ToDictionary(), figures);
        if (request.Json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.EvaluateReport));
        }
        else
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"evaluate: pack {pack.Id}, {frames} video frames at {frameRate:F2} fps, {outputs.Count} outputs; labels {request.Labels} ({labelFile.Rows.Count} lines){SmoothingNote(report.Smoothing)}"));
            EvaluationTable.Write(stdout, figures);
        }

        if (request.Plot is not { } plotFile || trace is null)
        {
            return ExitCodes.Ok;
        }

        var caption = PlotCaptions.For("evaluate", request.Setup, manifest, session.Driver.MediaEnd.TotalSeconds);
        return PlotArgument.Write(plotFile, new ScorePlot(caption, trace, new LabelOverlay(request.Labels, frameRate, columns, figures)), error, request.Out);
    }

    private static string SmoothingNote(IReadOnlyDictionary<string, int>? smoothing) => smoothing switch
    {
        null => "",
        { Count: 0 } => "; --smooth: no labelled output has a smoothing window (give --smooth-window OUTPUT=FRAMES)",
        _ => "; smoothed (centred moving average): " + string.Join(", ", smoothing.Select(s => $"{s.Key} {s.Value} frames")),
    };

    // Labels must match the video frame for frame; one frame off (a last frame one tool decodes and another does not) is let through with a warning.
    private static void CheckCount(LabelFile labels, long frames, TextWriter? warnings)
    {
        var lines = labels.Rows.Count;
        if (lines == frames || (lines == 1 && frames > 1))
        {
            return;
        }

        if (Math.Abs(lines - frames) > 1)
        {
            throw new InvalidDataException($"labels file {labels.Path} has {lines} label lines but the video has {frames} frames: one line per frame is needed");
        }

        warnings?.WriteLine(lines > frames
            ? $"warning: labels file {labels.Path} has {lines} label lines for {frames} video frames; the last label is ignored"
            : $"warning: labels file {labels.Path} has {lines} label lines for {frames} video frames; the last frame is not scored");
    }

    // The pack's smoothingFrames, replaced by --smooth-window OUTPUT=FRAMES where given.
    private static Dictionary<string, int> SmoothingWindows(PackManifest manifest, IReadOnlyList<string> overrides)
    {
        var windows = manifest.Outputs.Where(o => o.SmoothingFrames is > 0).ToDictionary(o => o.Name, o => o.SmoothingFrames!.Value, StringComparer.Ordinal);
        foreach (var item in overrides)
        {
            var parts = item.Split('=', 2);
            var output = parts.Length == 2 ? manifest.Outputs.FirstOrDefault(o => o.Name == parts[0].Trim()) : null;
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var frames) || frames < 1 || frames > 100_000)
            {
                throw new ArgumentException($"--smooth-window: '{item}' is not OUTPUT=FRAMES with FRAMES a whole number from 1 to 100000 (e.g. valence=20)");
            }

            if (output is null || OutputKinds.IsClass(output.Kind))
            {
                throw new ArgumentException(
                    $"--smooth-window: pack {manifest.Id} has no continuous output '{parts[0].Trim()}' (it has {string.Join(", ", manifest.Outputs.Where(o => !OutputKinds.IsClass(o.Kind)).Select(o => o.Name))})");
            }

            windows[output.Name] = frames;
        }

        return windows;
    }
}
