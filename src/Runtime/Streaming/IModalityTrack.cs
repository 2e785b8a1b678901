namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// One modality's data between its source and its streams' backbones: it keeps what upcoming
/// clips need, judges once per clip whether the data is usable (the verdict holds for every
/// stream of the modality), and writes each stream's backbone input by the stream's recipe.
/// Per clip the pipeline calls <see cref="Judge"/>, then <see cref="WriteInput"/> for each stream
/// when the data is usable, then <see cref="Finish"/>.
/// </summary>
internal interface IModalityTrack : IDisposable
{
    string Name { get; }

    /// <summary>Judges the data of the clip ending at <paramref name="clipEnd"/>.</summary>
    /// <returns>Null when it is usable; otherwise why the modality is missing for it.</returns>
    string? Judge(long clip, TimeSpan clipEnd);

    /// <summary>Writes stream <paramref name="stream"/>'s (index in the modality) backbone input for the clip just judged usable.</summary>
    void WriteInput(int stream, Span<float> input);

    /// <summary>The clip is scored: what only it needed can go.</summary>
    void Finish(long clip);

    /// <summary>Writes what stands in for missing data in a stream's input: black frames, silence, neutral EDA.</summary>
    void WriteSubstitute(int stream, Span<float> input);

    /// <summary>The source has ended or failed; later clips are missing for this reason.</summary>
    void MarkEnded(string reason);
}
