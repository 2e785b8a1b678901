using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>A semantic version (MAJOR.MINOR.PATCH[-pre][+build]) ordered by SemVer 2.0 precedence; build metadata is ignored.</summary>
public sealed class SemanticVersion
{
    private readonly long[] core;
    private readonly string[] prerelease;

    private SemanticVersion(string text, long[] core, string[] prerelease)
    {
        Text = text;
        this.core = core;
        this.prerelease = prerelease;
    }

    public string Text { get; }

    public static bool TryParse(string text, out SemanticVersion? version)
    {
        version = null;
        var withoutBuild = text.Split('+', 2)[0];
        var dash = withoutBuild.IndexOf('-', StringComparison.Ordinal);
        var corePart = dash < 0 ? withoutBuild : withoutBuild[..dash];
        var pre = dash < 0 ? [] : withoutBuild[(dash + 1)..].Split('.');
        var parts = corePart.Split('.');
        if (parts.Length != 3 || pre.Any(p => p.Length == 0))
        {
            return false;
        }

        var numbers = new long[3];
        for (var i = 0; i < 3; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new SemanticVersion(text, numbers, pre);
        return true;
    }

    /// <exception cref="FormatException">Not a semantic version.</exception>
    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var v) ? v! : throw new FormatException($"'{text}' is not a semantic version (MAJOR.MINOR.PATCH[-pre][+build])");

    public int CompareTo(SemanticVersion? other) // precedence; not IComparable: versions equal in precedence may differ in build metadata
    {
        if (other is null)
        {
            return 1;
        }

        for (var i = 0; i < 3; i++)
        {
            var c = core[i].CompareTo(other.core[i]);
            if (c != 0)
            {
                return c;
            }
        }

        // A pre-release sorts before the release it precedes.
        if (prerelease.Length == 0 || other.prerelease.Length == 0)
        {
            return (prerelease.Length == 0, other.prerelease.Length == 0) switch
            {
                (true, true) => 0,
                (true, false) => 1,
                _ => -1,
            };
        }

        for (var i = 0; i < Math.Min(prerelease.Length, other.prerelease.Length); i++)
        {
            var a = prerelease[i];
            var b = other.prerelease[i];
            var aNum = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var an);
            var bNum = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var bn);
            var c = (aNum, bNum) switch
            {
                (true, true) => an.CompareTo(bn),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a, b),
            };
            if (c != 0)
            {
                return Math.Sign(c);
            }
        }

        return prerelease.Length.CompareTo(other.prerelease.Length);
    }

    public override string ToString() => Text;
}
