using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeEmotion.EdgeAgent.Tests.Service;

/// <summary>Real `edgeemo run` processes for end-to-end tests; any still alive are killed on dispose.</summary>
internal sealed class AgentProcesses : IDisposable
{
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
