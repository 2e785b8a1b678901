using System.Diagnostics;

namespace EdgeEmotion.Tests;

/// <summary>What a finished command exited with and printed.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>
/// Runs a command to completion under a time limit, capturing what it prints: a hung tool (qemu,
/// an installer, an export) fails its test instead of hanging the run. The one process runner of
/// the test projects.
/// </summary>
internal static class ToolRun
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromMinutes(10);

    public static Task<ToolResult> RunAsync(string fileName, params string[] arguments) => RunAsync(fileName, arguments, DefaultLimit);

    /// <param name="environment">Variables to set (or, with a null value, remove) for this command only.</param>
    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan limit, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {limit}");
        }

        return new ToolResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs a command that must succeed (a setup step): a non-zero exit throws with what it printed.</summary>
    public static async Task<ToolResult> RunCheckedAsync(string fileName, params string[] arguments)
    {
        var result = await RunAsync(fileName, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.Error}{result.Output}");
        }

        return result;
    }
}
