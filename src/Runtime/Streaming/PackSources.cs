using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// What a pack asks of its sources, whatever its schema version: the face-clip parameters that
/// define its frame clock and clips, and the rates audio and EDA are read at.
/// </summary>
public static class PackSources
{
    /// <summary>The first face-clip stream's parameters: every face-clip stream shares their frame rate and span.</summary>
    /// <exception cref="ArgumentException">The pack has no face-clip stream.</exception>
    public static VideoSpec FrameClock(PackManifest manifest) =>
        manifest.Streams.FirstOrDefault(s => s.Recipe == StreamRecipes.FaceClip)?.Spec.FaceClip
        ?? throw new ArgumentException($"pack {manifest.Id} has no face-clip stream to define the frame clock");

    /// <summary>
    /// The rate an audio file is read at: that of the pack's first audio stream (the one its
    /// judgement reads; the pipeline resamples for the others). Null without audio.
    /// </summary>
    public static int? AudioSampleRate(PackManifest manifest) =>
        manifest.Streams.FirstOrDefault(s => s.Modality.Kind == ModalityKinds.Audio) is { } audio
            ? audio.Spec.Logmel?.SampleRate ?? audio.Spec.Waveform?.SampleRate
            : null;

    /// <summary>The rate of the pack's first EDA stream (what an EDA file without its own rate is taken at); null without EDA.</summary>
    public static double? EdaSampleRate(PackManifest manifest) =>
        manifest.Streams.FirstOrDefault(s => s.Modality.Kind == ModalityKinds.Eda)?.Spec.Eda?.SampleRate;
}
