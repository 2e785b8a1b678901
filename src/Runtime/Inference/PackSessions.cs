using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>
/// Every model of a pack, opened: one backbone per stream (a version-1 modality is one stream),
/// the imagination models, and the fusion head when the pack has one.
/// </summary>
public sealed class PackSessions : IDisposable
{
    public const string FusionName = PackModelNames.Fusion;

    private readonly Dictionary<string, ModelSession> sessions;

    private PackSessions(ModelPack pack, Dictionary<string, ModelSession> sessions)
    {
        Pack = pack;
        this.sessions = sessions;
        Backbones = pack.Manifest.Streams.ToDictionary(s => s.Name, s => sessions[s.Name], StringComparer.Ordinal);
        Imaginations = pack.Manifest.Streams.Where(s => s.Spec.Imagination is not null)
            .ToDictionary(s => s.Name, s => sessions[PackModelNames.Imagination(s.Name)], StringComparer.Ordinal);
        Fusion = pack.Manifest.Fusion is null ? null : sessions[FusionName];
        Scores = sessions[pack.Manifest.ScoreModelName];
    }

    public ModelPack Pack { get; }

    /// <summary>The fusion head; null for a pack whose only backbone gives the scores.</summary>
    public ModelSession? Fusion { get; }

    /// <summary>The session whose outputs are the scores: the fusion head, or the only backbone.</summary>
    public ModelSession Scores { get; }

    /// <summary>Per stream name.</summary>
    public IReadOnlyDictionary<string, ModelSession> Backbones { get; }

    /// <summary>Per stream name, for the streams that carry an imagination model.</summary>
    public IReadOnlyDictionary<string, ModelSession> Imaginations { get; }

    /// <summary>Every session in the order of <see cref="Models"/>.</summary>
    public IEnumerable<ModelSession> All => Models(Pack.Manifest).Select(m => sessions[m.Name]);

    /// <summary>The session for a golden case's model name.</summary>
    public ModelSession this[string model] =>
        sessions.TryGetValue(model, out var s) ? s
        : throw new KeyNotFoundException($"pack {Pack.Id} has no model '{model}'");

    /// <summary>
    /// Every model of a pack with its name, in the order sessions open: stream backbones in
    /// manifest order, then imagination models (<c>imagine.&lt;stream&gt;</c>), then fusion.
    /// </summary>
    public static IReadOnlyList<(string Name, ModelFileSpec Spec)> Models(PackManifest manifest)
    {
        var streams = manifest.Streams;
        var models = streams.Select(s => (s.Name, s.Backbone)).ToList();
        models.AddRange(streams.Where(s => s.Spec.Imagination is not null)
            .Select(s => (PackModelNames.Imagination(s.Name), s.Spec.Imagination!.AsModelFile())));
        if (manifest.Fusion is { } fusion)
        {
            models.Add((FusionName, fusion.AsModelFile()));
        }

        return models;
    }

    public static PackSessions Open(ModelPack pack, ModelSessionFactory factory) =>
        Open(pack, (name, spec) => factory.Open(pack, name, spec));

    /// <summary>Opens the models of <see cref="Models"/> in order with <paramref name="open"/>; disposes what opened if one fails.</summary>
    internal static PackSessions Open(ModelPack pack, Func<string, ModelFileSpec, ModelSession> open)
    {
        var opened = new Dictionary<string, ModelSession>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, spec) in Models(pack.Manifest))
            {
                opened[name] = open(name, spec);
            }

            return new PackSessions(pack, opened);
        }
        catch
        {
            foreach (var session in opened.Values)
            {
                session.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (var session in sessions.Values)
        {
            session.Dispose();
        }
    }
}
