using System.Diagnostics;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>
/// Runs a <see cref="BenchRig"/> for some outputs and measures the steady state after a warm-up:
/// per-stage milliseconds per output (decode, face detection, preprocessing and backbone per
/// modality, fusion, publish, total), the real-time factor, backbone runs per output against a naive
/// sliding window, managed bytes allocated per output, GC collections and peak RSS. Stage times come
/// from the pipeline's own <see cref="StageLatency"/> and the driver's source costs; they are stored
/// into arrays sized up front, so measuring adds no allocation.
/// </summary>
internal static class StreamBenchmark
{
    public static async Task<StreamBenchReport> RunAsync(
        BenchRig rig, PackSessions sessions, int warmupOutputs, int outputs, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupOutputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        var manifest = rig.Manifest;
        var modalities = rig.Modalities.ToArray();
        var hasVideo = modalities.Any(m => m.Kind == ModalityKinds.Video);
        var names = new List<string>();
        names.AddRange(modalities.Select(m => $"decode_{m.Name}"));
        if (hasVideo)
        {
            names.Add("face_detection");
        }

        names.AddRange(modalities.Select(m => $"preprocess_{m.Name}"));
        names.AddRange(modalities.Select(m => $"backbone_{m.Name}"));
        names.AddRange(["fusion", "publish", "total"]);
        var recorder = new StageRecorder(names, outputs);
        var decodeStage = modalities.Select(m => recorder.IndexOf($"decode_{m.Name}")).ToArray();
        var preprocessStage = modalities.Select(m => recorder.IndexOf($"preprocess_{m.Name}")).ToArray();
        var backboneStage = modalities.Select(m => recorder.IndexOf($"backbone_{m.Name}")).ToArray();
        var faceStage = hasVideo ? recorder.IndexOf("face_detection") : -1;
        var fusionStage = recorder.IndexOf("fusion");
        var publishStage = recorder.IndexOf("publish");
        var totalStage = recorder.IndexOf("total");
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal) { ["ok"] = 0, ["degraded"] = 0, ["no-signal"] = 0 };

        var decoded = new TimeSpan[modalities.Length];
        var produced = 0;
        long publishBytes = 0;
        Snapshot? start = warmupOutputs == 0 ? Snapshot.Start(rig) : null;
        var previous = Stopwatch.GetTimestamp();
        await foreach (var output in rig.RunAsync(cancellationToken))
        {
            var publishing = Stopwatch.GetTimestamp();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var sequence = rig.Publisher.Publish(output);
            var published = Stopwatch.GetTimestamp();
            var publishAllocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            rig.Publisher.Deliver(sequence);
            produced++;

            if (start is not null)
            {
                for (var i = 0; i < modalities.Length; i++)
                {
                    var time = rig.Driver.CostOf(modalities[i].Kind).Time;
                    recorder.Set(decodeStage[i], (time - decoded[i]).TotalMilliseconds);
                    recorder.Set(preprocessStage[i], output.Latency.PreprocessMs[modalities[i].Name]);
                    recorder.Set(backboneStage[i], output.Latency.BackboneMs[modalities[i].Name]);
                }

                if (faceStage >= 0)
                {
                    recorder.Set(faceStage, output.Latency.FaceDetectionMs);
                }

                recorder.Set(fusionStage, output.Latency.FusionMs);
                recorder.Set(publishStage, Stopwatch.GetElapsedTime(publishing, published).TotalMilliseconds);
                recorder.Set(totalStage, Stopwatch.GetElapsedTime(previous, published).TotalMilliseconds);
                recorder.Commit();
                publishBytes += publishAllocated;
                statuses[output.Status]++;
            }

            for (var i = 0; i < modalities.Length; i++)
            {
                decoded[i] = rig.Driver.CostOf(modalities[i].Kind).Time;
            }

            if (produced == warmupOutputs)
            {
                start = Snapshot.Start(rig);
            }

            if (recorder.Count == outputs)
            {
                break;
            }

            previous = Stopwatch.GetTimestamp();
        }

        var end = Snapshot.End(rig);
        if (start is null || recorder.Count < outputs)
        {
            throw new InvalidOperationException($"the synthetic sources ended after {produced} outputs; {warmupOutputs + outputs} were wanted");
        }

        return Report(rig, sessions, warmupOutputs, recorder, start, end, publishBytes, statuses, manifest);
    }

    private static StreamBenchReport Report(
        BenchRig rig, PackSessions sessions, int warmupOutputs, StageRecorder recorder, Snapshot start, Snapshot end,
        long publishBytes, Dictionary<string, int> statuses, PackManifest manifest)
    {
        var n = recorder.Count;
        var media = rig.MediaPerOutput.TotalSeconds * n;
        var compute = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        var window = manifest.Window;
        var runs = manifest.Streams.ToDictionary(
            m => m.Name, m => (double)(end.Counters.BackboneRuns[m.Name] - start.Counters.BackboneRuns[m.Name]) / n, StringComparer.Ordinal);
        var total = (end.TotalAllocated - start.TotalAllocated) / n;
        var sources = (end.SourceAllocated - start.SourceAllocated) / n;
        var publish = publishBytes / n;
        return new StreamBenchReport(
            rig.Hop,
            rig.Pipeline.Schedule.FrameRate,
            warmupOutputs,
            n,
            Math.Round(media, 3),
            Math.Round(compute, 3),
            Math.Round(media / compute, 3),
            recorder.Summarize(),
            runs,
            window,
            runs.ToDictionary(r => r.Key, r => Math.Round(r.Value / window, 4), StringComparer.Ordinal),
            (double)(end.Counters.FusionRuns - start.Counters.FusionRuns) / n,
            (double)(end.Counters.FaceDetections - start.Counters.FaceDetections) / n,
            statuses,
            total,
            new AllocationSummary(total, sources, Math.Max(0, total - sources - publish), publish),
            end.Gc.Since(start.Gc),
            ProcessMemory.PeakResidentBytes(),
            sessions.All.ToDictionary(s => s.Name, s => s.Provider.ConfigName(), StringComparer.Ordinal));
    }

    // Everything the report differences, taken between two outputs. The allocation counter is read
    // last at the start and first at the end, so the snapshots' own objects stay out of the figure.
    private sealed record Snapshot(long Timestamp, long TotalAllocated, long SourceAllocated, GcCounts Gc, PipelineCounters Counters)
    {
        public static Snapshot Start(BenchRig rig)
        {
            var counters = rig.Pipeline.Counters;
            var gc = GcCounts.Now();
            var sources = SourceBytes(rig);
            return new Snapshot(Stopwatch.GetTimestamp(), GC.GetTotalAllocatedBytes(precise: true), sources, gc, counters);
        }

        public static Snapshot End(BenchRig rig)
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var timestamp = Stopwatch.GetTimestamp();
            return new Snapshot(timestamp, allocated, SourceBytes(rig), GcCounts.Now(), rig.Pipeline.Counters);
        }

        private static long SourceBytes(BenchRig rig)
        {
            long bytes = 0;
            foreach (var (_, kind) in rig.Modalities)
            {
                bytes += rig.Driver.CostOf(kind).AllocatedBytes;
            }

            return bytes;
        }
    }
}
