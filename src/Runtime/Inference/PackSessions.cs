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

    public static PackSessions Open(ModelPack pack, ModelSessionFactory factory)
    {
        var opened = new Dictionary<string, ModelSession>(StringComparer.Ordinal);
        try
        {
            foreach (var modality in pack.Manifest.Modalities)
            {
                opened[modality.Name] = factory.Open(pack, modality.Name, modality.Backbone);
            }

            var fusion = factory.Open(pack, FusionName, pack.Manifest.Fusion.AsModelFile());
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
