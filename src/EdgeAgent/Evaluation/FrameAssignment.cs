namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>How per-clip outputs become per-frame predictions (docs/evaluate.md, "Assignment").</summary>
public enum FrameAssignment
{
    /// <summary>
    /// As a live device shows it: a frame takes the newest output whose clip end is at or before
    /// the frame's end (the output the device has once that frame has arrived).
    /// </summary>
    Live,

    /// <summary>
    /// As the paper's offline evaluation: a frame takes the clip whose span is centred nearest to
    /// the frame's centre (ties to the earlier clip), from the first clip's span start on.
    /// </summary>
    Centred,
}

/// <summary>One output's place in time: its clip number, its end and the span of frames it covers, in seconds.</summary>
public readonly record struct ClipSpan(long Clip, double End, double Span)
{
    public double Start => End - Span;

    public double Centre => End - (Span / 2);
}

/// <summary>Assigns clips to the frames of a video: the index into the clip list per frame, or null (no output yet).</summary>
public static class FrameAssigner
{
    // Clip ends and frame times come from different rational clocks (25 and 30 fps): compare with a microsecond's slack.
    private const double Slack = 1e-6;

    public static int?[] Assign(IReadOnlyList<ClipSpan> clips, long frames, double frameRate, FrameAssignment assignment)
    {
        var result = new int?[frames];
        if (clips.Count == 0)
        {
            return result;
        }

        var next = 0;
        for (var i = 0; i < frames; i++)
        {
            var start = i / frameRate;
            var end = (i + 1) / frameRate;
            if (assignment == FrameAssignment.Live)
            {
                while (next < clips.Count && clips[next].End <= end + Slack)
                {
                    next++;
                }

                result[i] = next == 0 ? null : next - 1;
            }
            else
            {
                if (end <= clips[0].Start + Slack)
                {
                    continue; // before anything the first clip saw
                }

                var centre = (start + end) / 2;
                while (next + 1 < clips.Count && Math.Abs(clips[next + 1].Centre - centre) < Math.Abs(clips[next].Centre - centre) - Slack)
                {
                    next++;
                }

                result[i] = next;
            }
        }

        return result;
    }
}
