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
            var counts = $"ok {s[ModalityState.Ok]}, held {s[ModalityState.Held]}, substituted {s[ModalityState.Substituted]}, imagined {s[ModalityState.Imagined]}";
            var cost = string.Create(c, $"mean preprocess {Mean(preprocess, m.Name):F2} ms, backbone {Mean(backbone, m.Name):F2} ms");
            var streams = m.StreamsOf(manifest).ToList();
            if (streams is [{ } only] && only.Name == m.Name)
            {
                error.WriteLine($"  {m.Name,-7} {counts}; {Runs(only.Name, counters, window)}; {cost}");
                continue;
            }

            // Several streams (or one named apart): the modality's states, then each stream's backbone.
            error.WriteLine($"  {m.Name,-7} {counts}; {cost}");
            foreach (var stream in streams)
            {
                error.WriteLine($"    {stream.Name}: {Runs(stream.Name, counters, window)}");
            }
        }

        var perOutput = string.Create(c, $"mean {(outputs == 0 ? 0 : fusion / outputs):F2} ms");
        var totalPerOutput = string.Create(c, $"mean total per output {(outputs == 0 ? 0 : total / outputs):F2} ms");
        error.WriteLine(manifest.Fusion is null
            ? $"  no fusion head: the '{manifest.ScoreModelName}' backbone gives the scores ({perOutput} to read them); {totalPerOutput}"
            : $"  fusion runs {counters.FusionRuns}, {perOutput}; {totalPerOutput}");
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

    private string Runs(string stream, PipelineCounters counters, int window)
    {
        var runs = counters.BackboneRuns[stream];
        var imagined = counters.ImaginationRuns.TryGetValue(stream, out var n) ? $", +{n} imagination" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"backbone runs {runs} (+{counters.SubstituteRuns[stream]} substitute{imagined}) = {(outputs == 0 ? 0 : (double)runs / outputs):F2} per output vs {window} for a naive sliding window");
    }

    private double Mean(Dictionary<string, double> sums, string name) => outputs == 0 ? 0 : sums.GetValueOrDefault(name) / outputs;
}
