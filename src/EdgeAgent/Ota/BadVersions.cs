using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>One pack that failed its health gate: what it is (pack id, manifest version, bundle sha256) and why.</summary>
public sealed record BadVersion(string? PackId, string Version, string? Sha256, string Reason);

/// <summary>
/// Packs that failed the health gate (<c>&lt;state&gt;/ota-bad.json</c>); requests for them are refused.
/// Keyed on what a bundle is, not on what a request calls it: a bundle whose signed pack id and
/// version match an entry is bad, and so is a bundle file whose sha256 matches one (refused
/// before its download). The older file shape (an object of version -> reason) is still read.
/// </summary>
public sealed class BadVersions(string stateDirectory)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Path { get; } = System.IO.Path.Combine(stateDirectory, "ota-bad.json");

    /// <summary>The entries; a file that cannot be read as the list gives none and says why in <paramref name="problem"/>.</summary>
    public IReadOnlyList<BadVersion> Read(out string? problem)
    {
        problem = null;
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(Path)) switch
            {
                JsonArray list => list.Select(ToEntry).ToList(),
                JsonObject legacy => legacy.Select(p => new BadVersion(null, p.Key, null, p.Value?.GetValue<string>() ?? "")).ToList(),
                _ => throw new JsonException("the file is neither a list of entries nor an object of version -> reason"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            problem = $"{Path} cannot be read ({e.Message}); no version counts as bad until it is fixed";
            return [];
        }
    }

    /// <summary>The entry that a bundle file with this sha256 matches, before its download.</summary>
    public BadVersion? FindBundle(string sha256, out string? problem) =>
        Read(out problem).FirstOrDefault(b => string.Equals(b.Sha256, sha256, StringComparison.OrdinalIgnoreCase));

    /// <summary>The entry that a pack of this id and manifest version matches (an entry without a pack id matches any pack).</summary>
    public BadVersion? FindPack(string packId, string version, out string? problem) =>
        Read(out problem).FirstOrDefault(b => string.Equals(b.Version, version, StringComparison.Ordinal)
                                              && (b.PackId is null || string.Equals(b.PackId, packId, StringComparison.Ordinal)));

    /// <summary>Adds an entry; a file that cannot be read is kept beside as <c>ota-bad.json.unreadable</c>, not overwritten unseen.</summary>
    public void Mark(BadVersion entry)
    {
        var all = Read(out var problem).ToList();
        if (problem is not null && File.Exists(Path))
        {
            File.Copy(Path, Path + ".unreadable", overwrite: true);
        }

        all.Add(entry);
        var temp = Path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(all, Indented));
        File.Move(temp, Path, overwrite: true);
    }

    private static BadVersion ToEntry(JsonNode? node) => node is JsonObject o
        ? new BadVersion(
            (string?)o["packId"],
            (string?)o["version"] ?? throw new JsonException("an entry has no version"),
            (string?)o["sha256"],
            (string?)o["reason"] ?? "")
        : throw new JsonException("an entry is not an object");
}
