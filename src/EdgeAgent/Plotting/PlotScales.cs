using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Plotting;

/// <summary>Maps seconds of media to pixels across the plot's width.</summary>
public sealed record TimeScale(double Start, double End, double Left, double Width)
{
    public double X(double seconds) => Left + ((seconds - Start) / (End - Start) * Width);

    /// <summary>Tick times at a round step (0.1 s to hours), about ten across the axis.</summary>
    public IReadOnlyList<double> Ticks()
    {
        double[] steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
        var step = steps.FirstOrDefault(s => (End - Start) / s <= 12, steps[^1]);
        return NiceTicks.Between(Start, End, step);
    }

    /// <summary>A tick's label: seconds, with minutes:seconds beside them once the axis spans minutes.</summary>
    public string Label(double seconds)
    {
        var text = seconds.ToString(seconds == Math.Floor(seconds) ? "0" : "0.0", CultureInfo.InvariantCulture);
        if (End - Start < 120 || seconds == 0)
        {
            return text;
        }

        var time = TimeSpan.FromSeconds(Math.Round(seconds));
        return time.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{text} ({(int)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00})")
            : string.Create(CultureInfo.InvariantCulture, $"{text} ({time.Minutes}:{time.Seconds:00})");
    }
}

/// <summary>Maps a value to pixels down a panel: <see cref="Max"/> at <see cref="Top"/>, <see cref="Min"/> at the bottom.</summary>
public sealed record ValueScale(double Min, double Max, double Top, double Height)
{
    public double Y(double value) => Top + ((Max - Math.Clamp(value, Min, Max)) / (Max - Min) * Height);

    /// <summary>Round values across the range, at most about six.</summary>
    public IReadOnlyList<double> Ticks()
    {
        var raw = (Max - Min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        return NiceTicks.Between(Min, Max, step);
    }
}

internal static class NiceTicks
{
    public static IReadOnlyList<double> Between(double start, double end, double step)
    {
        var ticks = new List<double>();
        for (var i = Math.Ceiling((start / step) - 1e-9); i * step <= end + (step * 1e-9); i++)
        {
            ticks.Add(Math.Round(i * step, 9) + 0.0); // + 0.0 turns -0 into 0
        }

        return ticks;
    }
}
