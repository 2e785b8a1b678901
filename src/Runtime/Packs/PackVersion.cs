using Semver;

namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// A pack's <c>version</c>: a SemVer 2.0 version, parsed strictly (no leading zeros, no 'v' prefix,
/// exactly MAJOR.MINOR.PATCH) and ordered by SemVer precedence (build metadata ignored).
/// </summary>
public static class PackVersion
{
    /// <summary>Longer version texts are refused (a version is a folder name and an MQTT field).</summary>
    public const int MaxLength = 128;

    public static bool TryParse(string? text, out SemVersion version) =>
        SemVersion.TryParse(text, SemVersionStyles.Strict, out version!, MaxLength);

    /// <summary>Precedence: below 0 when <paramref name="a"/> comes before <paramref name="b"/>; 0 when they differ only in build metadata.</summary>
    public static int Compare(SemVersion a, SemVersion b) => SemVersion.ComparePrecedence(a, b);
}
