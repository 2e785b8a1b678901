using System.Globalization;

namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>
/// Scripted failures for synthetic sources, so a run shows every missing-modality path at known
/// times. Immutable. The compact form, for the CLI, is a comma-separated list of
/// <c>modality:kind@start-end</c> with times in seconds, e.g.
/// <c>visual:missing@10-15,audio:silence@20-25,eda:electrode-off@30-32.5</c>.
/// </summary>
public sealed class DropoutScript
{
    private const string FormHint = "expected modality:kind@start-end with times in seconds, e.g. visual:missing@10-15";

    private readonly Dropout[] dropouts;

    /// <exception cref="ArgumentException">A kind that does not apply to its modality, an empty or negative interval, or two overlapping intervals on one modality.</exception>
    public DropoutScript(IEnumerable<Dropout> dropouts)
    {
        ArgumentNullException.ThrowIfNull(dropouts);
        this.dropouts = [.. dropouts.OrderBy(d => d.Modality).ThenBy(d => d.Start)];
        for (var i = 0; i < this.dropouts.Length; i++)
        {
            var problem = ProblemWith(this.dropouts[i]);
            if (problem is null && i > 0 && this.dropouts[i - 1] is var before && Overlaps(before, this.dropouts[i]))
            {
                problem = $"overlaps {before}";
            }

            if (problem is not null)
            {
                throw new ArgumentException($"Dropout {this.dropouts[i]}: {problem}.", nameof(dropouts));
            }
        }
    }

    /// <summary>No dropouts.</summary>
    public static DropoutScript None { get; } = new([]);

    /// <summary>Every dropout, ordered by modality, then start.</summary>
    public IReadOnlyList<Dropout> Dropouts => dropouts;

    /// <summary>The dropout kind in force for <paramref name="modality"/> at <paramref name="time"/>, or null.</summary>
    public DropoutKind? KindAt(SensorModality modality, TimeSpan time)
    {
        foreach (var d in dropouts)
        {
            if (d.Modality == modality && d.Contains(time))
            {
                return d.Kind;
            }
        }

        return null;
    }

    /// <summary>The first start or end of a <paramref name="modality"/> dropout strictly after <paramref name="time"/>, or null.</summary>
    public TimeSpan? NextChangeAfter(SensorModality modality, TimeSpan time)
    {
        TimeSpan? next = null;
        foreach (var d in dropouts)
        {
            if (d.Modality != modality)
            {
                continue;
            }

            foreach (var edge in (ReadOnlySpan<TimeSpan>)[d.Start, d.End])
            {
                if (edge > time && (next is null || edge < next))
                {
                    next = edge;
                }
            }
        }

        return next;
    }

    /// <summary>Reads the compact form; null, empty or blank text gives <see cref="None"/>.</summary>
    /// <exception cref="FormatException">The text is malformed; the message names the entry and what is wrong.</exception>
    public static DropoutScript Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return None;
        }

        var entries = text.Split(',');
        var parsed = new List<Dropout>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i].Trim();
            var dropout = ParseEntry(entry, i + 1);
            foreach (var earlier in parsed)
            {
                if (Overlaps(earlier, dropout))
                {
                    throw new FormatException($"Dropout entry {i + 1} '{entry}' overlaps '{earlier}'; one modality has one dropout at a time.");
                }
            }

            parsed.Add(dropout);
        }

        return new DropoutScript(parsed);
    }

    /// <summary>The compact form; <see cref="Parse"/> reads it back.</summary>
    public override string ToString() => string.Join(",", dropouts.Select(d => d.ToString()));

    private static Dropout ParseEntry(string entry, int number)
    {
        string Fail(string problem) => $"Dropout entry {number} '{entry}': {problem}.";

        if (entry.Length == 0)
        {
            throw new FormatException($"Dropout entry {number} is empty; {FormHint}.");
        }

        var at = entry.Split('@');
        var names = at[0].Split(':');
        if (at.Length != 2 || names.Length != 2)
        {
            throw new FormatException(Fail(FormHint));
        }

        var modalityText = names[0].Trim();
        var kindText = names[1].Trim();
        if (!DropoutNames.TryParseModality(modalityText, out var modality))
        {
            throw new FormatException(Fail($"unknown modality '{modalityText}'; expected visual, audio or eda"));
        }

        if (!DropoutNames.TryParseKind(kindText, out var kind) || !DropoutNames.KindsFor(modality).Contains(kind))
        {
            throw new FormatException(Fail($"{DropoutNames.Of(modality)} takes {DropoutNames.KindList(modality)}, not '{kindText}'"));
        }

        var times = at[1].Split('-');
        if (times.Length != 2)
        {
            throw new FormatException(Fail($"the interval '{at[1]}' must be start-end in seconds, e.g. 10-15"));
        }

        var start = ParseSeconds(times[0], "start", Fail);
        var end = ParseSeconds(times[1], "end", Fail);
        if (end <= start)
        {
            throw new FormatException(Fail($"end {times[1].Trim()} s must be after start {times[0].Trim()} s"));
        }

        return new Dropout(modality, start, end, kind);
    }

    private static TimeSpan ParseSeconds(string text, string what, Func<string, string> fail)
    {
        var trimmed = text.Trim();
        if (!double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new FormatException(fail($"{what} '{trimmed}' is not a number of seconds (0 or more, e.g. 12.5)"));
        }

        // To the nearest tick: TimeSpan.FromSeconds truncates, which turns 1.005 into 1.0049999.
        return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }

    private static string? ProblemWith(Dropout d)
    {
        if (d.Start < TimeSpan.Zero)
        {
            return "starts before 0";
        }

        if (d.End <= d.Start)
        {
            return "ends before it starts";
        }

        return DropoutNames.KindsFor(d.Modality).Contains(d.Kind)
            ? null
            : $"{DropoutNames.Of(d.Modality)} takes {DropoutNames.KindList(d.Modality)}";
    }

    private static bool Overlaps(Dropout a, Dropout b) => a.Modality == b.Modality && a.Start < b.End && b.Start < a.End;
}
