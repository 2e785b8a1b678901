using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;

namespace EdgeEmotion.Sensors.Replay;

/// <summary>
/// Replays electrodermal activity from a CSV file:
/// <code>
/// time,microsiemens
/// 0.000,5.12
/// 0.125,5.13
/// </code>
/// The header names the two columns, in either order: <c>time</c> or <c>time_s</c> (seconds) and
/// <c>microsiemens</c> or <c>eda_us</c> (names are case-insensitive). Numbers use the invariant
/// culture ('.' decimals, exponents allowed); times must be finite and increase strictly (at 100 ns
/// resolution). A value of NaN or +-Infinity (a logger's mark for a failed reading) is passed on as
/// it is: the pipeline counts it as an invalid sample and the modality is missing around it.
/// Blank lines are skipped. Each reading's timestamp is start + time. Any bad line ends the
/// replay with a <see cref="SourceException"/> whose message starts "file:line:".
/// </summary>
public sealed class EdaCsvSource : ISampleSource<EdaSample>
{
    private static readonly string[] TimeNames = ["time", "time_s"];
    private static readonly string[] ValueNames = ["microsiemens", "eda_us"];

    private readonly string path;

    /// <param name="path">The CSV file.</param>
    /// <param name="start">Added to every time in the file; default 0.</param>
    public EdaCsvSource(string path, TimeSpan? start = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        this.path = path;
        Start = start ?? TimeSpan.Zero;
    }

    public string Description => $"EDA file {path}";

    public TimeSpan Start { get; }

    /// <exception cref="SourceException">The file is missing, unreadable, or a line is bad (message "file:line: what is wrong").</exception>
    public async IAsyncEnumerable<EdaSample> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var sample in ReadFileAsync(path, Description, cancellationToken).ConfigureAwait(false))
        {
            yield return sample with { Timestamp = Start + sample.Timestamp };
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// The file's sample rate: 1 / the median interval between readings (over the first
    /// <see cref="RateIntervals"/>), in Hz: the input rate an <c>EdaFrontEnd</c> filters at. A median,
    /// so gaps and time jumps do not skew it. Reads (and checks) the whole file.
    /// </summary>
    /// <exception cref="SourceException">The file is bad (as for <see cref="ReadAsync"/>) or has fewer than two readings.</exception>
    public static async Task<double> MeasureSampleRateAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var description = $"EDA file {path}";
        long readings = 0;
        var intervals = new List<long>();
        TimeSpan last = default;
        await foreach (var sample in ReadFileAsync(path, description, cancellationToken).ConfigureAwait(false))
        {
            if (readings > 0 && intervals.Count < RateIntervals)
            {
                intervals.Add((sample.Timestamp - last).Ticks);
            }

            last = sample.Timestamp;
            readings++;
        }

        if (readings < 2)
        {
            throw new SourceException(description, $"{Path.GetFileName(path)}: {readings} reading(s); at least 2 are needed to measure the sample rate");
        }

        intervals.Sort();
        var middle = intervals.Count / 2;
        var median = intervals.Count % 2 == 1 ? intervals[middle] : (intervals[middle - 1] + intervals[middle]) / 2.0;
        return TimeSpan.TicksPerSecond / median;
    }

    /// <summary>Intervals <see cref="MeasureSampleRateAsync"/> looks at, from the start of the file.</summary>
    public const int RateIntervals = 4096;

    private static async IAsyncEnumerable<EdaSample> ReadFileAsync(string path, string description, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        using var reader = OpenReader(path, description);
        var lineNumber = 0;
        string? line;
        int timeColumn = -1;
        long? previousTicks = null;
        var previousTime = 0.0;
        while ((line = await ReadLineAsync(reader, description, cancellationToken).ConfigureAwait(false)) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',');
            if (timeColumn < 0)
            {
                timeColumn = HeaderTimeColumn(fields) ?? throw Bad(description, name, lineNumber,
                    $"the header must name two columns, time,microsiemens (or time_s,eda_us); found '{line.Trim()}'");
                continue;
            }

            if (fields.Length != 2)
            {
                throw Bad(description, name, lineNumber, $"expected 2 columns (time,microsiemens), found {fields.Length}");
            }

            var time = ParseNumber(fields[timeColumn], "time", description, name, lineNumber);
            var microsiemens = ParseNumber(fields[1 - timeColumn], "microsiemens", description, name, lineNumber, finite: false);
            if (Math.Abs(time) > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                throw Bad(description, name, lineNumber, $"time {Format(time)} s is out of range");
            }

            var ticks = (long)Math.Round(time * TimeSpan.TicksPerSecond);
            if (ticks <= previousTicks)
            {
                throw Bad(description, name, lineNumber, $"time {Format(time)} is not after the previous reading's {Format(previousTime)}; times must increase");
            }

            previousTicks = ticks;
            previousTime = time;
            yield return new EdaSample(TimeSpan.FromTicks(ticks), microsiemens);
        }

        if (timeColumn < 0)
        {
            throw new SourceException(description, $"{name}: empty file; expected a header line time,microsiemens");
        }
    }

    /// <summary>Index of the time column when <paramref name="fields"/> is a valid header; null otherwise.</summary>
    private static int? HeaderTimeColumn(string[] fields)
    {
        if (fields.Length != 2)
        {
            return null;
        }

        bool IsTime(string f) => TimeNames.Contains(f.Trim(), StringComparer.OrdinalIgnoreCase);
        bool IsValue(string f) => ValueNames.Contains(f.Trim(), StringComparer.OrdinalIgnoreCase);
        if (IsTime(fields[0]) && IsValue(fields[1]))
        {
            return 0;
        }

        return IsValue(fields[0]) && IsTime(fields[1]) ? 1 : null;
    }

    private static double ParseNumber(string field, string column, string description, string name, int lineNumber, bool finite = true)
    {
        var text = field.Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Bad(description, name, lineNumber, $"{column} '{text}' is not a number");
        }

        if (finite && !double.IsFinite(value))
        {
            throw Bad(description, name, lineNumber, $"{column} is {text}; it must be a finite number");
        }

        return value;
    }

    private static StreamReader OpenReader(string path, string description)
    {
        try
        {
            return new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceException(description, e.Message, e);
        }
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader, string description, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new SourceException(description, e.Message, e);
        }
    }

    private static SourceException Bad(string description, string name, int lineNumber, string problem) =>
        new(description, $"{name}:{lineNumber}: {problem}");

    private static string Format(double seconds) => seconds.ToString("R", CultureInfo.InvariantCulture);
}
