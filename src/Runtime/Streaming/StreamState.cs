using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// What the pipeline keeps for one stream: its backbone, its clip features for the fusion window,
/// the last good clip's feature (hold policy), its substitute's feature (computed once), its
/// imagination model with the streams that feed it, and how often each model ran.
/// </summary>
internal sealed class StreamState(StreamBinding binding, int modality, int indexInModality, ModelSession backbone, FeatureHistory? history)
{
    public StreamBinding Binding { get; } = binding;

    public string Name => Binding.Name;

    /// <summary>Index of the stream's modality in the manifest.</summary>
    public int Modality { get; } = modality;

    /// <summary>Index among its modality's streams (what the modality's track calls it).</summary>
    public int IndexInModality { get; } = indexInModality;

    public ModelSession Backbone { get; } = backbone;

    /// <summary>Clip features the fusion window reads; null without fusion (the backbone's outputs are the scores).</summary>
    public FeatureHistory? History { get; } = history;

    /// <summary>The newest feature computed from the stream's own data; null before the first.</summary>
    public float[]? LastGood { get; set; }

    /// <summary>The backbone's feature for black frames / silence / neutral EDA: the same every time, so computed once.</summary>
    public float[]? Substitute { get; set; }

    /// <summary>The model that predicts this stream's feature from other modalities' streams; null when the stream has none.</summary>
    public ModelSession? Imagination { get; init; }

    /// <summary>Per input of <see cref="Imagination"/>, the index of the stream it reads.</summary>
    public int[] ImaginationSources { get; init; } = [];

    public long BackboneRuns { get; set; }

    public long SubstituteRuns { get; set; }

    public long ImaginationRuns { get; set; }
}
