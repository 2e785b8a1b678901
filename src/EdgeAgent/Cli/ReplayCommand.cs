using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Sensors.Replay;
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
        var pack = new Option<string>("--pack") { Description = "The model pack folder", Required = true };
        var video = new Option<string?>("--video") { Description = "Video file (any format FFmpeg reads)" };
        var audio = new Option<string?>("--audio") { Description = "WAV file (PCM 8-32 bit or float, any rate and channel count)" };
        var eda = new Option<string?>("--eda") { Description = "EDA CSV: header time,microsiemens; time in seconds" };
        var output = new Option<string>("--out") { Description = "Output JSON Lines file", Required = true };
        var hop = new Option<int?>("--hop") { Description = "Frames between outputs (must divide the pack's clip spacing; default: the spacing)" };
        var policy = new Option<string>("--missing")
        {
            Description = "What stands in for a missing modality: hold (last good clip, up to --max-hold, then substitute) or substitute",
            DefaultValueFactory = _ => "hold",
        };
        policy.AcceptOnlyFromAmong("hold", "substitute");
        var maxHold = SecondsOption.Create("--max-hold", "Seconds a last good clip may stand in", defaultValue: 3.0, max: TimeSpan.FromDays(1).TotalSeconds);
        var smooth = new Option<bool>("--smooth") { Description = "Moving average over the pack's smoothingFrames" };
        var latency = new Option<bool>("--latency") { Description = "Write per-stage latency into each line (the file then differs run to run)" };
        var inference = new InferenceArguments();
        var command = new Command("replay", "Score recorded video, audio and EDA with a model pack; one JSON line per output, a summary on stderr")
        {
            pack, video, audio, eda, output, hop, policy, maxHold, smooth, latency,
        };
        inference.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var files = new Dictionary<string, string?>
            {
                [ModalityKinds.Video] = result.GetValue(video),
                [ModalityKinds.Audio] = result.GetValue(audio),
                [ModalityKinds.Eda] = result.GetValue(eda),
            };
            if (files.Values.All(f => f is null))
            {
                error.WriteLine("error: give at least one of --video, --audio, --eda");
                return ExitCodes.Usage;
            }

            foreach (var (kind, file) in files)
            {
                if (file is not null && !File.Exists(file))
                {
                    error.WriteLine(Directory.Exists(file) ? $"error: --{kind} {file} is a folder, not a file" : $"error: --{kind} file {file} does not exist");
                    return ExitCodes.Usage;
                }
            }

            var outFile = result.GetValue(output)!;
            var outFolder = Path.GetDirectoryName(Path.GetFullPath(outFile))!;
            if (Directory.Exists(outFile) || !Directory.Exists(outFolder))
            {
                error.WriteLine(Directory.Exists(outFile) ? $"error: --out {outFile} is a folder: give the file to write" : $"error: --out {outFile}: the folder {outFolder} does not exist");
                return ExitCodes.Usage;
            }

            if (!inference.TryBuild(result, out var inferenceOptions))
            {
                return ExitCodes.Usage;
            }

            var streaming = new StreamingOptions
            {
                Hop = result.GetValue(hop),
                Smooth = result.GetValue(smooth),
                Defaults = new ModalityOptions
                {
                    Policy = result.GetValue(policy) == "substitute" ? MissingPolicy.Substitute : MissingPolicy.Hold,
                    MaxHold = TimeSpan.FromSeconds(result.GetValue(maxHold)),
                },
            };

            using var loggerFactory = inference.CreateLoggerFactory(result);
            var request = new ReplayRequest(result.GetValue(pack)!, files, result.GetValue(output)!, result.GetValue(latency));
            try
            {
                return await RunAsync(request, inferenceOptions, streaming, loggerFactory, error, cancellationToken);
            }
            catch (Exception e) when (e is ModelPackException or ExecutionProviderException or SourceException or ArgumentException or IOException)
            {
                error.WriteLine($"error: {e.Message}");
                return e is ArgumentException ? ExitCodes.Usage : ExitCodes.Failed;
            }
        });
        return command;
    }

    private sealed record ReplayRequest(string Pack, IReadOnlyDictionary<string, string?> Files, string Output, bool Latency);

    private static async Task<int> RunAsync(
        ReplayRequest request, InferenceOptions inferenceOptions, StreamingOptions streaming,
        ILoggerFactory loggerFactory, TextWriter error, CancellationToken cancellationToken)
    {
        var pack = ModelPackLoader.Load(request.Pack);
        foreach (var (kind, file) in request.Files)
        {
            if (file is not null && !pack.Manifest.Modalities.Any(m => m.Kind == kind))
            {
                throw new ArgumentException(
                    $"pack {pack.Id} has no {kind} modality (it takes {string.Join(", ", pack.Manifest.Modalities.Select(m => m.Kind))}); drop --{kind}");
            }
        }

        var audioSpec = pack.Manifest.Modalities.FirstOrDefault(m => m.Kind == ModalityKinds.Audio)?.Audio;
        var videoSpec = pack.Manifest.Modalities.First(m => m.Kind == ModalityKinds.Video).Video!;

        // Sources open their files here, so an unreadable file is a clear error before any work.
        await using var video = request.Files[ModalityKinds.Video] is { } v ? new VideoFileSource(v, new VideoFileSourceOptions { FallbackFrameRate = videoSpec.FrameRate }) : null;
        await using var audio = request.Files[ModalityKinds.Audio] is { } a ? new WavFileSource(a, audioSpec!.SampleRate) : null;
        await using var eda = request.Files[ModalityKinds.Eda] is { } e ? new EdaCsvSource(e) : null;

        using var sessions = PackSessions.Open(pack, new ModelSessionFactory(inferenceOptions, loggerFactory.CreateLogger<ModelSessionFactory>()));
        double? edaRate = request.Files[ModalityKinds.Eda] is { } edaFile ? await EdaCsvSource.MeasureSampleRateAsync(edaFile, cancellationToken) : null;
        using var pipeline = new StreamingPipeline(sessions, streaming, loggerFactory.CreateLogger<StreamingPipeline>(),
            edaInputSampleRate: edaRate ?? pack.Manifest.Modalities.FirstOrDefault(m => m.Kind == ModalityKinds.Eda)?.Eda?.SampleRate);
        var driver = new ReplayDriver(pipeline, loggerFactory.CreateLogger<ReplayDriver>());

        var summary = new ReplaySummary(pack.Manifest);
        var partial = request.Output + ".partial";
        var clock = Stopwatch.StartNew();
        await using (var writer = new StreamWriter(partial, append: false, new UTF8Encoding(false)))
        {
            await foreach (var output in driver.RunAsync(video, audio, eda, cancellationToken))
            {
                await writer.WriteLineAsync(ScoreJson.Serialize(output, request.Latency).AsMemory(), cancellationToken);
                summary.Add(output);
            }
        }

        // Only a finished replay takes the output name: a cancelled or failed one leaves .partial.
        File.Move(partial, request.Output, overwrite: true);
        summary.Write(error, pipeline.Counters, driver, clock.Elapsed, request.Output);
        return ExitCodes.Ok;
    }
}
