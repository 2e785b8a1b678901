using System.CommandLine;
using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// A number of seconds on the command line, checked as it is parsed: a value that is not a
/// finite number in range ("NaN", "1e300", "-5") is a usage error (exit 2), not an exception later.
/// </summary>
internal static class SecondsOption
{
    public static Option<double> Create(string name, string description, double defaultValue, double max)
    {
        var range = $"a number of seconds from 0 to {max.ToString(CultureInfo.InvariantCulture)}";
        return new Option<double>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var token = result.Tokens[0].Value;
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0 || value > max)
                {
                    result.AddError($"{name}: '{token}' is not {range}");
                    return defaultValue;
                }

                return value;
            },
        };
    }
}
