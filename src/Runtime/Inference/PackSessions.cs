using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>Every model of a pack, opened: one backbone per modality and the fusion head.</summary>
public sealed class PackSessions : IDisposable
{
    public const string FusionName = "fusion";

    private readonly Dictionary<string, ModelSession> backbones;

    private PackSessions(ModelPack pack, Dictionary<string, ModelSession> backbones, ModelSession fusion)
    {
        Pack = pack;
        this.backbones = backbones;
        Fusion = fusion;
    }

    public ModelPack Pack { get; }

    public ModelSession Fusion { get; }

    public IReadOnlyDictionary<string, ModelSession> Backbones => backbones;

    /// <summary>Backbones in manifest order, then the fusion head.</summary>
    public IEnumerable<ModelSession> All =>
        Pack.Manifest.Modalities.Select(m => backbones[m.Name]).Append(Fusion);

    /// <summary>The session for a golden case's model name.</summary>
    public ModelSession this[string model] =>
        model == FusionName ? Fusion
        : backbones.TryGetValue(model, out var s) ? s
        : throw new KeyNotFoundException($"pack {Pack.Id} has no model '{model}'");

    /// <summary>Every model of a pack with its role, in the order sessions open: backbones in manifest order, then fusion.</summary>
    public static IReadOnlyList<(string Name, ModelFileSpec Spec)> Models(PackManifest manifest) =>
        [.. manifest.Modalities.Select(m => (m.Name, m.Backbone)), (FusionName, manifest.Fusion.AsModelFile())];

    public static PackSessions Open(ModelPack pack, ModelSessionFactory factory) =>
        Open(pack, (name, spec) => factory.Open(pack, name, spec));

    /// <summary>Opens the models of <see cref="Models"/> in order with <paramref name="open"/>; disposes what opened if one fails.</summary>
    internal static PackSessions Open(ModelPack pack, Func<string, ModelFileSpec, ModelSession> open)
    {
        var opened = new Dictionary<string, ModelSession>(StringComparer.Ordinal);
        try
        {
            var models = Models(pack.Manifest);
            foreach (var (name, spec) in models.SkipLast(1))
            {
                opened[name] = open(name, spec);
            }

            var fusion = open(models[^1].Name, models[^1].Spec);
            return new PackSessions(pack, opened, fusion);
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
        foreach (var session in backbones.Values)
        {
            session.Dispose();
        }

        Fusion.Dispose();
    }
}
