using System.CommandLine;
using EdgeEmotion.EdgeAgent.Cli;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>Runs the process's own entry (<see cref="EdgeemoCommand.InvokeAsync"/>) in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await EdgeemoCommand.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
