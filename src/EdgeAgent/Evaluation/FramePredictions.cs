using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>
/// Per-clip outputs spread over a video's frames by one <see cref="FrameAssignment"/>: for each
/// frame, the output it takes (null before the first) and per pack output the prediction (null
/// also where that output had no scores, <c>no-signal</c>). A class output predicts its level.
/// </summary>
public sealed class FramePredictions
{
    private FramePredictions(FrameAssignment assignment, double frameRate, long?[] clips, Dictionary<string, double?[]> values)
    {
        Assignment = assignment;
        FrameRate = frameRate;
        Clips = clips;
        Values = values;
    }

    public FrameAssignment Assignment { get; }

    public double FrameRate { get; }

    /// <summary>The clip number each frame takes, null before the first output.</summary>
    public IReadOnlyList<long?> Clips { get; }

    /// <summary>Per pack output name, the prediction per frame.</summary>
    public IReadOnlyDictionary<string, double?[]> Values { get; }

    public int Frames => Clips.Count;

    /// <summary>Frames before the first output: no prediction at all.</summary>
    public int FramesBeforeFirstOutput => Clips.Count(c => c is null);

    /// <summary>Frames whose output had no scores (every modality missing).</summary>
    public int FramesNoSignal { get; private init; }

    /// <param name="clipSpan">Seconds of media one clip covers (the pack's span of frames at its frame rate).</param>
    public static FramePredictions Build(
        IReadOnlyList<ScoreOutput> outputs, PackManifest manifest, double clipSpan, long frames, double frameRate, FrameAssignment assignment)
    {
        var spans = outputs.Select(o => new ClipSpan(o.Clip, o.ClipEnd.TotalSeconds, clipSpan)).ToList();
        var assigned = FrameAssigner.Assign(spans, frames, frameRate, assignment);
        var values = manifest.Outputs.ToDictionary(o => o.Name, _ => new double?[frames], StringComparer.Ordinal);
        var noSignal = 0;
        for (var i = 0; i < frames; i++)
        {
            if (assigned[i] is not { } index)
            {
                continue;
            }

            if (outputs[index].Scores is not { } scores)
            {
                noSignal++;
                continue;
            }

            foreach (var score in scores)
            {
                if (values.TryGetValue(score.Name, out var column))
                {
                    column[i] = score.Level ?? score.Value;
                }
            }
        }

        var clips = assigned.Select(a => a is { } index ? outputs[index].Clip : (long?)null).ToArray();
        return new FramePredictions(assignment, frameRate, clips, values) { FramesNoSignal = noSignal };
    }

    /// <summary>A copy with the named outputs smoothed by <see cref="MovingAverage.Centred"/> over their window (frames).</summary>
    public FramePredictions Smoothed(IReadOnlyDictionary<string, int> windows)
    {
        var values = Values.ToDictionary(
            v => v.Key, v => windows.TryGetValue(v.Key, out var window) ? MovingAverage.Centred(v.Value, window) : v.Value, StringComparer.Ordinal);
        return new FramePredictions(Assignment, FrameRate, Clips.ToArray(), values) { FramesNoSignal = FramesNoSignal };
    }
}
