using System.CommandLine;
using System.CommandLine.Invocation;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>The <c>edgeemo</c> command tree.</summary>
public static class EdgeemoCommand
{
    public static RootCommand Create() => new("edgeemo: multimodal pain and affect scoring at the bedside (camera, microphone, EDA -> JMT -> MQTT)")
    {
        ModelsCommand.Create(),
        BenchCommand.Create(),
        ReplayCommand.Create(),
        EvaluateCommand.Create(),
        RunCommand.Create(),
        DemoCommand.Create(),
        DevicesCommand.Create(),
        CalibrateEdaCommand.Create(),
        FacesCommand.Create(),
    };

    /// <summary>
    /// The process's entry: parses and runs a command line. A line the parser refuses exits with
    /// <see cref="ExitCodes.Usage"/>, its error first and a pointer to the help (<see cref="UsageErrors"/>).
    /// </summary>
    public static Task<int> InvokeAsync(IReadOnlyList<string> args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            UsageErrors.Write(parse, configuration?.Error ?? Console.Error);
            return Task.FromResult(ExitCodes.Usage);
        }

        return parse.InvokeAsync(configuration, cancellationToken);
    }
}
