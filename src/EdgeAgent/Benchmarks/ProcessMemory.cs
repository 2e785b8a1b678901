using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>
/// This process's resident memory from <c>/proc/self/status</c>: <c>VmRSS</c> now and <c>VmHWM</c>,
/// the peak since start. Null where the file is missing (not Linux) or lacks the field.
/// </summary>
internal static class ProcessMemory
{
    private const string StatusFile = "/proc/self/status";

    public static long? ResidentBytes() => ReadStatus() is { } status ? Parse(status, "VmRSS:") : null;

    public static long? PeakResidentBytes() => ReadStatus() is { } status ? Peak(status) : null;

    /// <summary>
    /// The peak of one status text. The kernel folds a process's RSS into <c>VmHWM</c> lazily, so
    /// <c>VmRSS</c> in the same text can be the larger: the peak is at least the current value.
    /// </summary>
    internal static long? Peak(string status)
    {
        var highWater = Parse(status, "VmHWM:");
        var resident = Parse(status, "VmRSS:");
        return highWater is null || resident is null ? highWater ?? resident : Math.Max(highWater.Value, resident.Value);
    }

    /// <summary>A value of a status text: <c>VmHWM:    123456 kB</c> gives 126418944.</summary>
    internal static long? Parse(string status, string field)
    {
        foreach (var line in status.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith(field, StringComparison.Ordinal))
            {
                continue;
            }

            var value = line[field.Length..].Trim();
            if (!value.EndsWith(" kB", StringComparison.Ordinal)
                || !long.TryParse(value[..^3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
            {
                return null;
            }

            return kilobytes * 1024;
        }

        return null;
    }

    private static string? ReadStatus()
    {
        try
        {
            return File.ReadAllText(StatusFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
