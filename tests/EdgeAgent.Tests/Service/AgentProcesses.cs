using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>Real `edgeemo run` processes for end-to-end tests; any still alive are killed on dispose.</summary>
internal sealed class AgentProcesses : IDisposable
{
    private static readonly string[] MachineVariables =
    [
        "http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
        "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
    ];

    private readonly List<Process> agents = [];

    /// <summary>Starts the agent built beside the tests on a config file. Its output is drained, into <paramref name="lines"/> when given.</summary>
    public Process Start(string config, ConcurrentQueue<string>? lines = null)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "edgeemo"))
        {
            ArgumentList = { "run", "--config", config },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The agent talks to the test's loopback servers directly, whatever this machine's proxy,
        // and is nobody's systemd service here, even when the test run is one.
        foreach (var variable in MachineVariables)
        {
            start.Environment.Remove(variable);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        agents.Add(process);
        return process;

        void Keep(string? line)
        {
            if (line is not null)
            {
                lines?.Enqueue(line);
            }
        }
    }

    /// <summary>Asks an agent to stop as systemd does (SIGTERM), for its clean-stop status.</summary>
    public static void Terminate(Process agent)
    {
        using var kill = Process.Start("/bin/kill", ["-TERM", agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        foreach (var agent in agents)
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }

            agent.Dispose();
        }
    }
}
