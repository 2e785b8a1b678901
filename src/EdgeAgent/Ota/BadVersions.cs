using System.Text.Json;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>Versions that failed the health gate (<c>&lt;state&gt;/ota-bad.json</c>: version -> reason); requests for them are refused.</summary>
public sealed class BadVersions(string stateDirectory)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Path { get; } = System.IO.Path.Combine(stateDirectory, "ota-bad.json");

    public IReadOnlyDictionary<string, string> Read()
    {
        if (!File.Exists(Path))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path)) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    public bool IsBad(string version, out string reason) => Read().TryGetValue(version, out reason!);

    public void Mark(string version, string reason)
    {
        var all = new Dictionary<string, string>(Read(), StringComparer.Ordinal) { [version] = reason };
        var temp = Path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(all, Indented));
        File.Move(temp, Path, overwrite: true);
    }
}
