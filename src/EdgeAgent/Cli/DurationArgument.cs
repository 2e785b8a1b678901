using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>Durations on the command line: a positive number with a unit, <c>90s</c>, <c>60m</c>, <c>1.5h</c>.</summary>
internal static class DurationArgument
{
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        var trimmed = text?.Trim() ?? "";
        var unit = trimmed.Length > 0 ? char.ToLowerInvariant(trimmed[^1]) : '\0';
        double scale = unit switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => 0,
        };
        if (scale == 0)
        {
            error = $"'{text}' needs a unit: s, m or h (e.g. 90s, 60m, 1.5h)";
            return false;
        }

        if (!double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
        {
            error = $"'{text}' is not a positive number of {unit switch { 's' => "seconds", 'm' => "minutes", _ => "hours" }}";
            return false;
        }

        if (value * scale > TimeSpan.FromDays(365).TotalSeconds)
        {
            error = $"'{text}' is longer than a year";
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        error = "";
        return true;
    }
}
