using System.Globalization;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>The stderr summary of a replay: what came out, what it cost, how it compares with a naive sliding window.</summary>
internal sealed class ReplaySummary(PackManifest manifest)
{
    private readonly Dictionary<string, Dictionary<ModalityState, int>> states = manifest.Modalities.ToDictionary(
        m => m.Name, _ => Enum.GetValues<ModalityState>().ToDictionary(s => s, _ => 0), StringComparer.Ordinal);
    private readonly Dictionary<string, double> preprocess = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> backbone = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> statuses = new(StringComparer.Ordinal);
    private double fusion;
    private double faceDetection;
    private double total;
    private int outputs;

    public void Add(ScoreOutput output)
    {
        outputs++;
        statuses[output.Status] = statuses.GetValueOrDefault(output.Status) + 1;
        foreach (var (name, report) in output.Modalities)
        {
            states[name][report.State]++;
        }

        foreach (var (name, ms) in output.Latency.PreprocessMs)
        {
            preprocess[name] = preprocess.GetValueOrDefault(name) + ms;
        }

        foreach (var (name, ms) in output.Latency.BackboneMs)
        {
            backbone[name] = backbone.GetValueOrDefault(name) + ms;
        }

        fusion += output.Latency.FusionMs;
        faceDetection += output.Latency.FaceDetectionMs;
        total += output.Latency.TotalMs;
    }

    public void Write(TextWriter error, PipelineCounters counters, ReplayDriver driver, TimeSpan elapsed, string file)
    {
        var c = CultureInfo.InvariantCulture;
        var media = driver.MediaEnd.TotalSeconds;
        error.WriteLine(string.Create(c, $"replay: {outputs} outputs over {media:F2} s of media in {elapsed.TotalSeconds:F2} s (real-time factor {media / Math.Max(elapsed.TotalSeconds, 1e-9):F2}) -> {file}"));
        error.WriteLine($"  status: {string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"))}");
        var window = manifest.Window;
        foreach (var m in manifest.Modalities)
        {
            var s = states[m.Name];
            var runs = counters.BackboneRuns[m.Name];
            error.WriteLine(string.Create(c,
                $"  {m.Name,-7} ok {s[ModalityState.Ok]}, held {s[ModalityState.Held]}, substituted {s[ModalityState.Substituted]}; backbone runs {runs} (+{counters.SubstituteRuns[m.Name]} substitute) = {(outputs == 0 ? 0 : (double)runs / outputs):F2} per output vs {window} for a naive sliding window; mean preprocess {Mean(preprocess, m.Name):F2} ms, backbone {Mean(backbone, m.Name):F2} ms"));
        }

        error.WriteLine(string.Create(c, $"  fusion runs {counters.FusionRuns}, mean {(outputs == 0 ? 0 : fusion / outputs):F2} ms; mean total per output {(outputs == 0 ? 0 : total / outputs):F2} ms"));
        if (counters.VideoFramesReceived > 0)
        {
            error.WriteLine(string.Create(c,
                $"  video: {counters.VideoFramesReceived} frames decoded, {counters.VideoSlots} frame slots, {counters.FaceDetections} face detections, mean {(outputs == 0 ? 0 : faceDetection / outputs):F2} ms of detection per output"));
        }

        foreach (var failure in driver.Failures)
        {
            error.WriteLine($"  source failed part-way: {failure}");
        }
    }

    private double Mean(Dictionary<string, double> sums, string name) => outputs == 0 ? 0 : sums.GetValueOrDefault(name) / outputs;
}
