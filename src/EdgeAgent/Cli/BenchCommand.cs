using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo bench</c>: per-model latency of our run path (preallocated, pinned tensors) against
/// a bare <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// that allocates its outputs, on the same session and the same inputs.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var pack = new Option<string>("--pack") { Description = "The pack folder to measure", Required = true };
        var iterations = new Option<int>("--iterations", "-n") { Description = "Timed runs per path and model", DefaultValueFactory = _ => 30 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs per path before timing", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var inference = new InferenceArguments();
        var command = new Command("bench", "Measure per-model latency and the overhead of EdgeEmotion's run path over a bare ONNX Runtime call")
        {
            pack, iterations, warmup, json,
        };
        inference.AddTo(command);
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

            if (!inference.TryBuild(result, out var options))
            {
                return ExitCodes.Usage;
            }

            using var loggerFactory = inference.CreateLoggerFactory(result);
            try
            {
                var loaded = ModelPackLoader.Load(result.GetValue(pack)!);
                using var sessions = PackSessions.Open(loaded, new ModelSessionFactory(options, loggerFactory.CreateLogger<ModelSessionFactory>()));
                var report = await Task.Run(() => Measure(sessions, n, w, cancellationToken), cancellationToken);
                Write(result, report);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is ModelPackException or ExecutionProviderException)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    internal static BenchReport Measure(PackSessions sessions, int iterations, int warmup, CancellationToken cancellationToken)
    {
        var models = new List<BenchModelReport>();
        foreach (var session in sessions.All)
        {
            FillInputs(sessions.Pack, session);
            models.Add(MeasureModel(session, iterations, warmup, cancellationToken));
        }

        return new BenchReport(sessions.Pack.Id, OnnxRuntimeLibrary.Version, Environment.ProcessorCount, models);
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

            var oursMedian = Percentile(ours, 0.5);
            var bareMedian = Percentile(bare, 0.5);
            return new BenchModelReport(
                session.Name,
                session.Provider.ConfigName(),
                iterations,
                oursMedian,
                Percentile(ours, 0.95),
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

    private static double Percentile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
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
                $"  {m.Model,-8} {m.Provider,-8} {m.Iterations,4} {m.MedianMs,10:F3} {m.P95Ms,9:F3} {m.BareMedianMs,12:F3} {m.OverheadPercent,8:+0.0;-0.0}% {m.AllocatedBytesPerRun,9} B {m.BareAllocatedBytesPerRun,13} B"));
        }
    }
}
