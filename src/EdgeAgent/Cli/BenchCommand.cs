using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Benchmarks;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Sensors.Synthetic;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo bench</c>: two sections in one report. Per model, the latency of our run path
/// (preallocated, pinned tensors) against a bare <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// that allocates its outputs, on the same session and inputs. Then the streaming pipeline on
/// generated media (<see cref="StreamBenchmark"/>): per-stage latency, real-time factor, backbone
/// runs against a naive sliding window, allocations, GC and peak RSS. <c>--soak</c> instead runs
/// the pipeline for a wall-clock duration and judges memory and queue trends (<see cref="SoakRun"/>).
/// </summary>
internal static class BenchCommand
{
    // A day of media: the per-output arrays stay small; longer runs are what --soak is for.
    private const double MaxMediaSeconds = 86_400;

    public static Command Create()
    {
        var pack = new Option<string>("--pack") { Description = "The pack folder to measure", Required = true };
        var iterations = new Option<int>("--iterations", "-n") { Description = "Timed runs per path and model", DefaultValueFactory = _ => 30 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs per path before timing", DefaultValueFactory = _ => 3 };
        var hop = new Option<int?>("--hop") { Description = "Frames between outputs of the streaming run (must divide the pack's clip spacing; default: the spacing)" };
        var seconds = new Option<double>("--seconds") { Description = "Seconds of generated media the streaming run measures", DefaultValueFactory = _ => 30 };
        var warmupSeconds = new Option<double>("--warmup-seconds") { Description = "Seconds of generated media streamed before measuring", DefaultValueFactory = _ => 5 };
        var soak = new Option<string?>("--soak") { Description = "Instead of the benchmark, stream for this long (e.g. 60m) and judge RSS and queue trends; exit 1 if they grow" };
        var sampleEvery = new Option<string>("--sample-every") { Description = "How often the soak samples memory and queues", DefaultValueFactory = _ => "30s" };
        var maxRssSlope = new Option<double>("--max-rss-slope") { Description = "Soak fails when RSS rises faster than this many MB per hour (beyond the noise floor)", DefaultValueFactory = _ => new SoakThresholds().MaxRssSlopeMbPerHour };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var faceDetectEvery = new Option<int>("--face-detect-every")
        {
            Description = "The face-stage section's tracked variant runs the TinyFaceDetector on one used frame in this many",
            DefaultValueFactory = _ => FaceStageBenchmark.DefaultDetectEvery,
        };
        var faceVideo = new Option<string?>("--face-video") { Description = "Run the face-stage section on this video's frames instead of the streaming run's generated ones" };
        var inference = new InferenceArguments();
        var command = new Command("bench", "Measure per-model latency against bare ONNX Runtime, then the streaming pipeline on generated media (or soak it with --soak)")
        {
            pack, iterations, warmup, hop, seconds, warmupSeconds, soak, sampleEvery, maxRssSlope, json, faceDetectEvery, faceVideo,
        };
        inference.AddTo(command);
        inference.AddFaceModelsTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var n = result.GetValue(iterations);
            var w = result.GetValue(warmup);
            if (n < 1 || w < 0)
            {
                error.WriteLine("error: --iterations must be >= 1 and --warmup >= 0");
                return ExitCodes.Usage;
            }

            var measured = result.GetValue(seconds);
            var settle = result.GetValue(warmupSeconds);
            if (!(measured is > 0 and <= MaxMediaSeconds) || !(settle is >= 0 and <= MaxMediaSeconds))
            {
                error.WriteLine($"error: --seconds must be in (0, {MaxMediaSeconds}] and --warmup-seconds in [0, {MaxMediaSeconds}] (longer runs: --soak)");
                return ExitCodes.Usage;
            }

            if (result.GetValue(faceDetectEvery) < 1)
            {
                error.WriteLine("error: --face-detect-every must be >= 1");
                return ExitCodes.Usage;
            }

            if (result.GetValue(faceVideo) is { } faceVideoFile && !InputFile.Check("--face-video", faceVideoFile, error))
            {
                return ExitCodes.Usage;
            }

            SoakOptions? soakOptions = null;
            if (result.GetValue(soak) is { } soakText)
            {
                if (!DurationArgument.TryParse(soakText, out var duration, out var problem)
                    || !DurationArgument.TryParse(result.GetValue(sampleEvery), out var interval, out problem))
                {
                    error.WriteLine($"error: --soak/--sample-every: {problem}");
                    return ExitCodes.Usage;
                }

                if (!(result.GetValue(maxRssSlope) > 0))
                {
                    error.WriteLine("error: --max-rss-slope must be > 0 MB per hour");
                    return ExitCodes.Usage;
                }

                soakOptions = new SoakOptions(duration, interval, 0, new SoakThresholds { MaxRssSlopeMbPerHour = result.GetValue(maxRssSlope) });
            }

            if (!inference.TryBuild(result, out var options))
            {
                return ExitCodes.Usage;
            }

            if (!inference.TryBuildFaceModels(result, out var faceModels))
            {
                return ExitCodes.Usage;
            }

            using var loggerFactory = inference.CreateLoggerFactory(result);
            try
            {
                var loaded = ModelPackLoader.Load(result.GetValue(pack)!);
                var factory = new ModelSessionFactory(options, loggerFactory.CreateLogger<ModelSessionFactory>());
                using var sessions = PackSessions.Open(loaded, factory);
                var rigOptions = new BenchRigOptions { Hop = result.GetValue(hop), FaceModels = new FaceModelFolder(faceModels, factory) };
                if (soakOptions is not null)
                {
                    return await SoakAsync(result, sessions, rigOptions, soakOptions, settle, loggerFactory, cancellationToken);
                }

                // The rig first: a hop the pack refuses or a missing face photo is reported before any timing.
                await using var rig = BenchRig.Create(sessions, rigOptions, loggerFactory);
                var models = await Task.Run(() => Measure(sessions, n, w, cancellationToken), cancellationToken);
                var streaming = await Task.Run(
                    () => StreamBenchmark.RunAsync(rig, sessions, OutputsFor(rig, settle, allowZero: true), OutputsFor(rig, measured, allowZero: false), cancellationToken),
                    cancellationToken);
                var faceStage = await Task.Run(
                    () => MeasureFaceStage(result, rig, rigOptions, factory, streaming, cancellationToken),
                    cancellationToken);
                Write(result, models with { Streaming = streaming, FaceStage = faceStage });
                return ExitCodes.Ok;
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is ModelPackException or ExecutionProviderException or FileNotFoundException or InvalidDataException or IOException)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static async Task<int> SoakAsync(
        ParseResult result, PackSessions sessions, BenchRigOptions rigOptions, SoakOptions soak, double warmupSeconds,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var output = result.InvocationConfiguration.Output;
        var json = result.GetValue<bool>("--json");
        await using var rig = BenchRig.Create(sessions, rigOptions, loggers);
        // Sampling starts once the pipeline's state has filled, so filling is not taken for growth.
        soak = soak with { WarmupOutputs = Math.Max(OutputsFor(rig, warmupSeconds, allowZero: true), rig.OutputsToFill) };
        var progress = json ? result.InvocationConfiguration.Error : output;
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: pack {sessions.Pack.Id}, hop {rig.Hop}, {soak.Duration.TotalMinutes:0.##} min, a sample every {soak.Interval.TotalSeconds:0.##} s"));
        var report = await Task.Run(() => SoakRun.RunAsync(rig, soak, progress, cancellationToken), cancellationToken);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.SoakReport));
        }
        else
        {
            WriteSoak(output, report);
        }

        return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
    }

    // The face stage of both front ends on the streaming run's frames (or --face-video's), with the
    // same warm-up and number of outputs; null for a pack without video.
    private static FaceStageReport? MeasureFaceStage(
        ParseResult result, BenchRig rig, BenchRigOptions rigOptions, ModelSessionFactory factory, StreamBenchReport streaming, CancellationToken cancellationToken)
    {
        if (!rig.Modalities.Any(m => m.Kind == ModalityKinds.Video))
        {
            return null;
        }

        var video = result.GetValue<string?>("--face-video");
        using IFaceBenchFrames frames = video is null
            ? new SyntheticFaceBenchFrames(new SyntheticVideoOptions { FaceImagePath = rigOptions.FaceImage, FrameRate = rig.Pipeline.Schedule.FrameRate, Seed = rigOptions.Seed })
            : new VideoFileFaceBenchFrames(video);
        var options = new FaceStageOptions
        {
            FaceModelsFolder = rigOptions.FaceModels?.Directory ?? FacesConfig.DefaultModelsDirectory,
            DetectEvery = result.GetValue<int>("--face-detect-every"),
            WarmupOutputs = video is null ? streaming.WarmupOutputs : 1,
            Outputs = streaming.Outputs,
        };
        return FaceStageBenchmark.Run(rig.Manifest, rig.Pipeline.Schedule, frames, factory, options, video is null ? streaming : null, cancellationToken);
    }

    // Whole outputs covering at least the given media seconds.
    private static int OutputsFor(BenchRig rig, double mediaSeconds, bool allowZero) =>
        Math.Max(allowZero ? 0 : 1, (int)Math.Ceiling((mediaSeconds / rig.MediaPerOutput.TotalSeconds) - 1e-9));

    internal static BenchReport Measure(PackSessions sessions, int iterations, int warmup, CancellationToken cancellationToken)
    {
        var models = new List<BenchModelReport>();
        foreach (var session in sessions.All)
        {
            FillInputs(sessions.Pack, session);
            models.Add(MeasureModel(session, iterations, warmup, cancellationToken));
        }

        return new BenchReport(sessions.Pack.Id, OnnxRuntimeLibrary.Version, Environment.ProcessorCount, models, Streaming: null);
    }

    private static BenchModelReport MeasureModel(ModelSession session, int iterations, int warmup, CancellationToken cancellationToken)
    {
        var spec = session.Spec;
        var inner = session.InnerSession;
        var inputNames = spec.Inputs.Select(t => t.Name).ToArray();
        var outputNames = spec.Outputs.Select(t => t.Name).ToArray();

        // The bare path gets its own copy of the inputs, wrapped once, as a typical caller would.
        var bareBuffers = spec.Inputs.Select((_, i) => session.Input(i).ToArray()).ToArray();
        var bareInputs = spec.Inputs.Select((t, i) => OrtValue.CreateTensorValueFromMemory(bareBuffers[i], t.Shape.ToArray())).ToArray();
        using var runOptions = new RunOptions();
        try
        {
            void Bare()
            {
                using var outputs = inner.Run(runOptions, inputNames, bareInputs, outputNames);
            }

            for (var i = 0; i < warmup; i++)
            {
                session.Run(cancellationToken);
                Bare();
            }

            var ours = new double[iterations];
            var bare = new double[iterations];
            long oursBytes = 0, bareBytes = 0;
            for (var i = 0; i < iterations; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Alternate which path goes first so neither gains from a warmer cache.
                if (i % 2 == 0)
                {
                    ours[i] = Time(() => session.Run(cancellationToken), ref oursBytes);
                    bare[i] = Time(Bare, ref bareBytes);
                }
                else
                {
                    bare[i] = Time(Bare, ref bareBytes);
                    ours[i] = Time(() => session.Run(cancellationToken), ref oursBytes);
                }
            }

            var oursMedian = Percentiles.Of(ours, 0.5);
            var bareMedian = Percentiles.Of(bare, 0.5);
            return new BenchModelReport(
                session.Name,
                session.Provider.ConfigName(),
                iterations,
                oursMedian,
                Percentiles.Of(ours, 0.95),
                ours.Average(),
                bareMedian,
                bare.Average(),
                (oursMedian / bareMedian - 1) * 100,
                oursBytes / iterations,
                bareBytes / iterations);
        }
        finally
        {
            foreach (var value in bareInputs)
            {
                value.Dispose();
            }
        }
    }

    private static double Time(Action run, ref long allocated)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        run();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        return elapsed;
    }

    // Golden inputs when the pack has them (realistic activations), seeded noise otherwise.
    private static void FillInputs(ModelPack pack, ModelSession session)
    {
        var golden = pack.Manifest.Golden.Cases.FirstOrDefault(c => c.Model == session.Name);
        var random = new Random(17);
        foreach (var (i, tensor) in session.Spec.Inputs.Index())
        {
            var target = session.Input(i);
            if (golden is not null && golden.Inputs.TryGetValue(tensor.Name, out var file))
            {
                NpyArray.Read(pack.PathOf(file)).Data.CopyTo(target);
            }
            else
            {
                for (var j = 0; j < target.Length; j++)
                {
                    target[j] = (float)(random.NextDouble() * 2 - 1);
                }
            }
        }
    }

    private static void Write(ParseResult result, BenchReport report)
    {
        var output = result.InvocationConfiguration.Output;
        if (result.GetValue<bool>("--json"))
        {
            output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.BenchReport));
            return;
        }

        output.WriteLine($"pack {report.Pack}, ONNX Runtime {report.OrtVersion}, {report.ProcessorCount} cores");
        output.WriteLine($"  {"model",-8} {"provider",-8} {"n",4} {"median ms",10} {"p95 ms",9} {"bare median",12} {"overhead",9} {"alloc/run",10} {"bare alloc/run",15}");
        foreach (var m in report.Models)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {m.Model,-8} {m.Provider,-8} {m.Iterations,4} {m.MedianMs,10:F3} {m.P95Ms,9:F3} {m.BareMedianMs,12:F3} {m.OverheadPercent,8:+0.0;-0.0;0.0}% {m.AllocatedBytesPerRun,9} B {m.BareAllocatedBytesPerRun,13} B"));
        }

        if (report.Streaming is { } s)
        {
            WriteStreaming(output, s);
        }

        if (report.FaceStage is { } f)
        {
            WriteFaceStage(output, f);
        }
    }

    private static void WriteFaceStage(TextWriter output, FaceStageReport f)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c,
            $"face stage on the frames the clips use ({f.Frames}): hop {f.HopFrames}, {f.UsedFramesPerOutput:0.##} used frames per output, {f.Outputs} outputs measured after {f.WarmupOutputs} warm-up"));
        if (f.FaceModelsProblem is { } problem)
        {
            output.WriteLine($"  TinyFaceDetector not measured: {problem}; Haar only");
        }

        output.WriteLine($"  {"front end (ms per output, median)",-36} {"detect",8} {"landmarks",10} {"align",8} {"total",8} {"p99",8} {"detections",11} {"face %",7} {"derived RTF",12}");
        foreach (var e in f.FrontEnds)
        {
            var s = e.Stages;
            output.WriteLine(string.Create(c,
                $"  {e.Name,-36} {s["detect"].MedianMs,8:F2} {s["landmarks"].MedianMs,10:F2} {s["align"].MedianMs,8:F2} {s["total"].MedianMs,8:F2} {s["total"].P99Ms,8:F2} {e.DetectionsPerOutput,11:0.##} {e.FaceFoundPercent,7:0.#} {(e.DerivedRealTimeFactor is { } rtf ? rtf.ToString("F2", c) : "-"),12}"));
        }

        output.WriteLine("  derived RTF: the streaming run's compute per output with its face detection replaced by this front end's total (means); derived, not measured");
        if (f.Tracking is { } t)
        {
            output.WriteLine(string.Create(c,
                $"  tracking, detect on every {t.DetectEvery} used frames: saves {t.SavedMsPerOutput:F2} ms per output (means); on {t.HeldFrames} held frames against detecting: box IoU median {t.IouMedian:F3}, 5th percentile {t.IouP05:F3}, min {t.IouMin:F3}; landmark shift median {t.LandmarkShiftMedianPx:F2} px, 95th percentile {t.LandmarkShiftP95Px:F2} px ({t.LandmarkShiftP95PercentOfFace:F1} % of the face)"));
        }
    }

    private static void WriteStreaming(TextWriter output, StreamBenchReport s)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c,
            $"streaming on generated media: hop {s.HopFrames} frames at {s.FrameRate:0.##} fps, {s.Outputs} outputs measured after {s.WarmupOutputs} warm-up"));
        output.WriteLine(string.Create(c,
            $"  real-time factor {s.RealTimeFactor:F2} ({s.MediaSeconds:F1} s of media in {s.ComputeSeconds:F2} s)"));
        output.WriteLine($"  {"stage",-22} {"median ms",10} {"p99 ms",9} {"mean ms",9}");
        foreach (var (stage, t) in s.Stages)
        {
            output.WriteLine(string.Create(c, $"  {stage,-22} {t.MedianMs,10:F3} {t.P99Ms,9:F3} {t.MeanMs,9:F3}"));
        }

        output.WriteLine(string.Create(c,
            $"  backbone runs per output: {string.Join(", ", s.BackboneRunsPerOutput.Select(r => $"{r.Key} {r.Value:F2}"))} (naive sliding window: {s.NaiveBackboneRunsPerOutput} each); fusion runs {s.FusionRunsPerOutput:F2}, face detections {s.FaceDetectionsPerOutput:F2} per output"));
        var a = s.AllocatedBytesByPart;
        output.WriteLine(string.Create(c,
            $"  managed bytes per output: {a.Total} (sources {a.Sources}, pipeline {a.Pipeline}, publish {a.Publish}); GC gen0/1/2 {s.GcCollections.Gen0}/{s.GcCollections.Gen1}/{s.GcCollections.Gen2}; peak RSS {(s.PeakRssBytes is { } peak ? $"{peak / 1048576.0:F1} MB" : "unknown")}"));
        output.WriteLine($"  statuses: {string.Join(", ", s.Statuses.Select(p => $"{p.Key} {p.Value}"))}; providers: {string.Join(", ", s.Providers.Select(p => $"{p.Key}={p.Value}"))}");
    }

    private static void WriteSoak(TextWriter output, SoakReport r)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c,
            $"soak {(r.Passed ? "passed" : "FAILED")}: {r.Outputs} outputs, {r.MediaSeconds:F0} s of media in {r.DurationSeconds:F0} s (real-time factor {r.RealTimeFactor:F2})"));
        output.WriteLine(string.Create(c,
            $"  slopes per hour: RSS {r.RssSlopeMbPerHour:+0.00;-0.00;0.00} MB (GC committed {r.GcCommittedSlopeMbPerHour:+0.00;-0.00;0.00} MB), managed heap {r.ManagedHeapSlopeMbPerHour:+0.00;-0.00;0.00} MB, {string.Join(", ", r.DepthSlopesPerHour.Select(d => $"{d.Key} {d.Value:+0.###;-0.###;0}"))}"));
        foreach (var problem in r.Problems)
        {
            output.WriteLine($"  problem: {problem}");
        }
    }
}
