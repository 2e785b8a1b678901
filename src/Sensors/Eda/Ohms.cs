using System.Globalization;

namespace EdgeEmotion.Sensors.Eda;

/// <summary>Resistances as people write them: 470, 100k, 2.2M, 4k7.</summary>
public static class Ohms
{
    public static bool TryParse(string? text, out double ohms)
    {
        ohms = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.EndsWith("ohm", StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^3].TrimEnd();
        }

        double multiplier = 1;
        var suffixAt = s.IndexOfAny(['k', 'K', 'M', 'R', 'r']);
        if (suffixAt >= 0)
        {
            multiplier = s[suffixAt] switch
            {
                'k' or 'K' => 1e3,
                'M' => 1e6,
                _ => 1,
            };

            // 4k7 means 4.7k.
            s = suffixAt == s.Length - 1 ? s[..suffixAt] : $"{s[..suffixAt]}.{s[(suffixAt + 1)..]}";
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || !double.IsFinite(value))
        {
            return false;
        }

        ohms = value * multiplier;
        return true;
    }

    public static string Format(double ohms) => ohms switch
    {
        double.PositiveInfinity => "open",
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{ohms / 1e6:0.###}M"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{ohms / 1e3:0.###}k"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ohms:0.###}"),
    };
}
