using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>One captured log line with its structured fields.</summary>
internal sealed record LogEntry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields, Exception? Exception);

/// <summary>Captures what a component logs (and echoes it to the test output) so tests can check the lines an operator would read.</summary>
internal sealed class TestLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> entries = new();
    private readonly ITestOutputHelper? output;

    public TestLogger(ITestOutputHelper? output = null)
    {
        this.output = output;
    }

    public IReadOnlyList<LogEntry> Entries => entries.ToArray();

    /// <summary>Everything logged, one line per entry, exceptions included (for "never logs the secret" checks).</summary>
    public string AllText => string.Join(Environment.NewLine, entries.Select(e => $"{e.Level} {e.Message} {e.Exception}"));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        var entry = new LogEntry(logLevel, formatter(state, exception), fields, exception);
        entries.Enqueue(entry);
        try
        {
            output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {entry.Message}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
