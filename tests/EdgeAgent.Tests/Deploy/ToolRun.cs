using System.Diagnostics;

namespace EdgeEmotion.EdgeAgent.Tests.Deploy;

/// <summary>What a finished command exited with and printed.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs a command to completion under a time limit: a hung tool (qemu, an installer) fails its test instead of the run.</summary>
internal static class ToolRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static async Task<ToolResult> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {Limit}");
        }

        return new ToolResult(process.ExitCode, await output, await error);
    }
}
