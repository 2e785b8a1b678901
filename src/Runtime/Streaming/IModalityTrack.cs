namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// One modality's data between its source and its backbone: it keeps what upcoming clips need,
/// judges whether a clip's data is usable, and writes the backbone input for it.
/// </summary>
internal interface IModalityTrack : IDisposable
{
    string Name { get; }

    /// <summary>Writes the backbone input for a clip ending at <paramref name="clipEnd"/>.</summary>
    /// <returns>Null when the clip's data is usable; otherwise why the modality is missing for it.</returns>
    string? Prepare(long clip, TimeSpan clipEnd, Span<float> input);

    /// <summary>Writes what stands in for missing data: black frames, silence, neutral EDA.</summary>
    void WriteSubstitute(Span<float> input);

    /// <summary>The source has ended or failed; later clips are missing for this reason.</summary>
    void MarkEnded(string reason);
}
