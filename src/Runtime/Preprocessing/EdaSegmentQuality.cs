namespace EdgeEmotion.Runtime.Preprocessing;

/// <summary>
/// What went into one EDA segment, for the pipeline to judge whether the modality is present:
/// counts are of raw (unfiltered) readings whose timestamps lie in the segment's span
/// [end - (segmentSamples - 1) / sampleRate, end].
/// </summary>
/// <param name="SamplesInSpan">Raw readings inside the span.</param>
/// <param name="ExpectedSamplesInSpan">Readings the span holds at the nominal input rate (span x rate + 1, rounded).</param>
/// <param name="OutOfRangeSamples">Readings in the span outside [validMin, validMax]: electrode off or saturated.</param>
/// <param name="NewestSampleAge">end minus the newest reading at or before end; null when there is none.</param>
/// <param name="InvalidSamples">Readings in the span that were not finite numbers.</param>
public readonly record struct EdaSegmentQuality(
    int SamplesInSpan,
    int ExpectedSamplesInSpan,
    int OutOfRangeSamples,
    TimeSpan? NewestSampleAge,
    int InvalidSamples = 0)
{
    /// <summary>Share of the expected readings that arrived (0 when none were expected).</summary>
    public double Coverage => ExpectedSamplesInSpan == 0 ? 0 : (double)SamplesInSpan / ExpectedSamplesInSpan;
}
