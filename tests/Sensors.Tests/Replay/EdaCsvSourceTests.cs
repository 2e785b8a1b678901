using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Replay;

namespace EdgeEmotion.Sensors.Tests.Replay;

public sealed class EdaCsvSourceTests
{
    [Fact]
    public async Task Reads_readings_with_their_times()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eda.csv", "time,microsiemens\n0,5.5\n0.25,5.75\n\n0.5, 6e0\n");
        await using var source = new EdaCsvSource(path, start: TimeSpan.FromSeconds(10));

        var samples = await ReadAllAsync(source);

        Assert.Equal(
            [
                new EdaSample(TimeSpan.FromSeconds(10), 5.5),
                new EdaSample(TimeSpan.FromSeconds(10.25), 5.75),
                new EdaSample(TimeSpan.FromSeconds(10.5), 6.0),
            ],
            samples);
        Assert.Equal($"EDA file {path}", source.Description);
    }

    [Fact]
    public async Task Accepts_the_alias_header_in_either_column_order()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eda.csv", "EDA_uS,Time_s\r\n3.25,1.0\r\n3.5,1.5\r\n");
        await using var source = new EdaCsvSource(path);

        var samples = await ReadAllAsync(source);

        Assert.Equal([new EdaSample(TimeSpan.FromSeconds(1), 3.25), new EdaSample(TimeSpan.FromSeconds(1.5), 3.5)], samples);
    }

    [Fact]
    public async Task A_time_jump_does_not_skew_the_measured_rate()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 41).Select(n => $"{(n / 4.0) + (n >= 20 ? 1e9 : 0):R},5");
        var path = dir.Write("eda.csv", "time,microsiemens\n" + string.Join('\n', lines));

        var rate = await EdaCsvSource.MeasureSampleRateAsync(path, CancellationToken.None);

        Assert.Equal(4.0, rate, 9);
    }

    [Fact]
    public async Task A_value_that_is_not_finite_is_passed_on_for_the_pipeline_to_count_as_invalid()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eda.csv", "time,microsiemens\n0,5\n0.25,NaN\n0.5,Infinity\n0.75,-Infinity\n1,5\n");
        await using var source = new EdaCsvSource(path);

        var samples = await ReadAllAsync(source);

        Assert.Equal(5, samples.Count);
        Assert.Equal(3, samples.Count(s => !double.IsFinite(s.Microsiemens)));
    }

    [Fact]
    public async Task Measures_the_mean_sample_rate()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 41).Select(n => $"{n / 4.0:R},{5 + (n % 3)}");
        var path = dir.Write("eda.csv", "time,microsiemens\n" + string.Join('\n', lines));

        var rate = await EdaCsvSource.MeasureSampleRateAsync(path, CancellationToken.None);

        Assert.Equal(4.0, rate, 9);
    }

    [Fact]
    public async Task Measuring_needs_two_readings()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("one.csv", "time,microsiemens\n0,5\n");

        var e = await Assert.ThrowsAsync<SourceException>(() => EdaCsvSource.MeasureSampleRateAsync(path, CancellationToken.None));

        Assert.Contains("at least 2", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "time,microsiemens\n0,5\nabc,5\n", "eda.csv:3: time 'abc' is not a number" },
        { "time,microsiemens\n0,5\n1,\n", "eda.csv:3: microsiemens '' is not a number" },
        { "time,microsiemens\n0,5\nNaN,5\n", "eda.csv:3: time is NaN; it must be a finite number" },
        { "time,microsiemens\n0,5\n-Infinity,5\n", "eda.csv:3: time is -Infinity; it must be a finite number" },
        { "time,microsiemens\n0,5\n0,6\n", "eda.csv:3: time 0 is not after the previous reading's 0; times must increase" },
        { "time,microsiemens\n1,5\n\n0.5,6\n", "eda.csv:4: time 0.5 is not after the previous reading's 1" },
        { "time,microsiemens\n0,5\n1,5,7\n", "eda.csv:3: expected 2 columns (time,microsiemens), found 3" },
        { "time,microsiemens\n0,5\n1\n", "eda.csv:3: expected 2 columns (time,microsiemens), found 1" },
        { "t,value\n0,5\n", "eda.csv:1: the header must name two columns, time,microsiemens (or time_s,eda_us); found 't,value'" },
        { "0,5\n1,5\n", "eda.csv:1: the header must name two columns" },
        { "", "eda.csv: empty file" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_line_is_named_file_colon_line(string content, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eda.csv", content);
        await using var source = new EdaCsvSource(path);

        var e = await Assert.ThrowsAsync<SourceException>(() => ReadAllAsync(source));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Equal(source.Description, e.SourceDescription);
    }

    [Fact]
    public async Task Readings_before_a_bad_line_are_delivered()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eda.csv", "time,microsiemens\n0,5\n0.5,6\nx,7\n");
        await using var source = new EdaCsvSource(path);
        var delivered = new List<EdaSample>();

        await Assert.ThrowsAsync<SourceException>(async () =>
        {
            await foreach (var sample in source.ReadAsync(CancellationToken.None))
            {
                delivered.Add(sample);
            }
        });

        Assert.Equal(2, delivered.Count);
    }

    [Fact]
    public async Task A_missing_file_is_a_source_exception()
    {
        using var dir = new TempDirectory();
        await using var source = new EdaCsvSource(dir.File("absent.csv"));

        var e = await Assert.ThrowsAsync<SourceException>(() => ReadAllAsync(source));

        Assert.Contains("absent.csv", e.Message, StringComparison.Ordinal);
    }

    private static async Task<List<EdaSample>> ReadAllAsync(EdaCsvSource source)
    {
        var samples = new List<EdaSample>();
        await foreach (var sample in source.ReadAsync(CancellationToken.None))
        {
            samples.Add(sample);
        }

        return samples;
    }
}
