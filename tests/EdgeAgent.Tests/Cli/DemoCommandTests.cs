using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task With_a_broker_that_never_answers_the_demo_reports_every_output_as_left_in_the_queue()
    {
        // Takes the TCP connection, never answers CONNECT: nothing can be delivered.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        // Stopped (as by Ctrl+C) after its third output line, however long those take here.
        using var stop = new CancellationTokenSource();
        var output = new OutputLines(OutputLine(), 3, stop);
        var code = await EdgemoDemo(port).InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() }, stop.Token);

        Assert.Equal(0, code);
        var summary = Summary().Match(output.ToString());
        Assert.True(summary.Success, output.ToString());
        var outputs = long.Parse(summary.Groups["outputs"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(outputs >= 3, output.ToString());
        Assert.Equal(outputs, long.Parse(summary.Groups["left"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static ParseResult EdgemoDemo(int port) =>
        EdgeemoCommand.Create().Parse(["demo", "--broker", $"mqtt://127.0.0.1:{port}", "--pack", TestPaths.Pack("affect-tiny")]);

    [GeneratedRegex(@"demo: stopped after (?<outputs>\d+) outputs; (?<left>\d+) left in the queue")]
    private static partial Regex Summary();

    // "   0.53s      1 ok ...": one line per output.
    [GeneratedRegex(@"^\s*\d+\.\d+s\s+\d+\s")]
    private static partial Regex OutputLine();

    /// <summary>Captures what the demo prints and cancels <c>stop</c> once <c>count</c> lines match <c>pattern</c>.</summary>
    private sealed class OutputLines(Regex pattern, int count, CancellationTokenSource stop) : StringWriter
    {
        private int seen;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && pattern.IsMatch(value) && Interlocked.Increment(ref seen) == count)
            {
                stop.Cancel();
            }
        }
    }
}
