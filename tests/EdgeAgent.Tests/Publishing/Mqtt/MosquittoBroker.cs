using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>How a test broker is set up.</summary>
internal sealed record MosquittoSettings
{
    /// <summary>User and password written to a password file with mosquitto_passwd; anonymous clients are then refused.</summary>
    public (string User, string Password)? User { get; init; }

    /// <summary>A TLS listener with these files instead of plain TCP.</summary>
    public TestCertificates? Tls { get; init; }

    /// <summary>With <see cref="Tls"/>: refuse clients without a certificate signed by the test CA.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>
    /// Also a plain WebSockets listener (on <see cref="MosquittoBroker.WebSocketsPort"/>) that serves
    /// this folder over HTTP (mosquitto's <c>http_dir</c>), as for the dashboard.
    /// </summary>
    public string? WebSocketsHttpDirectory { get; init; }
}

/// <summary>
/// A real Debian mosquitto on a free loopback port (127.0.0.1 only, no persistence), started from
/// a generated config and ready once it logs that it is running. <see cref="Stop"/> kills it like a crash; <see cref="RestartAsync"/> brings it
/// back on the same port. Killed and its folder deleted on dispose.
/// </summary>
internal sealed class MosquittoBroker : IDisposable
{
    private const string Executable = "/usr/sbin/mosquitto";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2); // a hang guard, never a speed limit

    private readonly ConcurrentQueue<string> output = new();
    private readonly string configFile;
    private Process? process;
    private int linesBeforeStart;

    private MosquittoBroker(MosquittoSettings settings, string directory, int port)
    {
        Settings = settings;
        Directory = directory;
        Port = port;
        configFile = Path.Combine(directory, "mosquitto.conf");
    }

    public MosquittoSettings Settings { get; }

    public string Directory { get; }

    public int Port { get; private set; }

    /// <summary>The WebSockets listener's port, 0 without <see cref="MosquittoSettings.WebSocketsHttpDirectory"/>.</summary>
    public int WebSocketsPort { get; private set; }

    public Uri Uri => new($"{(Settings.Tls is null ? "mqtt" : "mqtts")}://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public bool IsRunning => process is { HasExited: false };

    /// <summary>What mosquitto wrote to stderr, for failure messages.</summary>
    public string Log => string.Join(Environment.NewLine, output);

    public static async Task<MosquittoBroker> StartAsync(MosquittoSettings? settings = null)
    {
        settings ??= new MosquittoSettings();
        var directory = Path.Combine(Path.GetTempPath(), $"edgeemo-mosquitto-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var broker = new MosquittoBroker(settings, directory, FreeLoopbackPort());
        broker.WebSocketsPort = settings.WebSocketsHttpDirectory is null ? 0 : FreeLoopbackPort();
        try
        {
            // A free port can be taken by anyone between our probe and mosquitto's bind (another
            // test's proxy, say): then mosquitto says so and exits, and we try another port.
            for (var attempt = 1; ; attempt++)
            {
                await broker.WriteConfigAsync();
                try
                {
                    await broker.RestartAsync();
                    return broker;
                }
                catch (PortTakenException) when (attempt < 5)
                {
                    broker.Port = FreeLoopbackPort();
                    broker.WebSocketsPort = settings.WebSocketsHttpDirectory is null ? 0 : FreeLoopbackPort();
                }
            }
        }
        catch
        {
            broker.Dispose();
            throw;
        }
    }

    /// <summary>Replaces the password file's user (mosquitto reads it at start: restart to apply).</summary>
    public async Task SetUserAsync(string user, string password)
    {
        var passwordFile = Path.Combine(Directory, "passwd");
        File.Delete(passwordFile);
        await ToolRun.RunCheckedAsync("/usr/bin/mosquitto_passwd", "-b", "-c", passwordFile, user, password);
    }

    /// <summary>Kills the broker (SIGKILL: connections drop as in a crash) and waits for it to exit.</summary>
    public void Stop()
    {
        if (process is { } running)
        {
            if (!running.HasExited)
            {
                running.Kill();
            }

            running.WaitForExit();
            running.Dispose();
            process = null;
        }
    }

    /// <summary>Starts (again) on the same port with the same config; returns once it accepts connections.</summary>
    public async Task RestartAsync()
    {
        Stop();
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-c", configFile },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        linesBeforeStart = output.Count;
        var started = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        started.ErrorDataReceived += (_, e) => Record(e.Data);
        started.OutputDataReceived += (_, e) => Record(e.Data);
        started.BeginErrorReadLine();
        started.BeginOutputReadLine();
        process = started;
        await WaitUntilRunningAsync(started);
    }

    public void Dispose()
    {
        Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }

    private async Task WriteConfigAsync()
    {
        var config = new StringBuilder();
        config.AppendLine("per_listener_settings false");
        config.AppendLine("persistence false");
        config.AppendLine("log_dest stderr");
        config.AppendLine("log_type error");
        config.AppendLine("log_type warning");
        config.AppendLine("log_type notice");
        config.AppendLine("log_type information");

        // mosquitto started as root drops to the "mosquitto" user, which could not read these
        // files in our temp folder; run as whoever runs the tests.
        config.AppendLine(CultureInfo.InvariantCulture, $"user {Environment.UserName}");
        config.AppendLine(CultureInfo.InvariantCulture, $"listener {Port} 127.0.0.1");
        if (Settings.User is { } user)
        {
            await SetUserAsync(user.User, user.Password);
            config.AppendLine("allow_anonymous false");
            config.AppendLine(CultureInfo.InvariantCulture, $"password_file {Path.Combine(Directory, "passwd")}");
        }
        else
        {
            config.AppendLine("allow_anonymous true");
        }

        if (Settings.Tls is { } tls)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"cafile {tls.CaCertificate}");
            config.AppendLine(CultureInfo.InvariantCulture, $"certfile {tls.ServerCertificate}");
            config.AppendLine(CultureInfo.InvariantCulture, $"keyfile {tls.ServerKey}");
            config.AppendLine(Settings.RequireClientCertificate ? "require_certificate true" : "require_certificate false");
        }

        // After the MQTT listener: mosquitto 2.0.11 refuses to start with WebSockets listeners alone.
        if (Settings.WebSocketsHttpDirectory is { } httpDirectory)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"listener {WebSocketsPort} 127.0.0.1");
            config.AppendLine("protocol websockets");
            config.AppendLine(CultureInfo.InvariantCulture, $"http_dir {httpDirectory}");
        }

        await File.WriteAllTextAsync(configFile, config.ToString());
    }

    /// <summary>
    /// Until mosquitto logs "running" (its listener is open): a successful TCP probe alone could
    /// be answered by whoever else holds the port.
    /// </summary>
    private async Task WaitUntilRunningAsync(Process started)
    {
        var clock = Stopwatch.StartNew();
        while (!LinesSinceStart().Any(l => l.Contains(" running", StringComparison.Ordinal)))
        {
            if (started.HasExited)
            {
                started.WaitForExit();
                if (LinesSinceStart().Any(l => l.Contains("Address already in use", StringComparison.Ordinal)))
                {
                    throw new PortTakenException();
                }

                throw new InvalidOperationException($"mosquitto exited with {started.ExitCode} at start:{Environment.NewLine}{Log}");
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"mosquitto did not start within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{Log}");
            }

            await Task.Delay(10);
        }
    }

    private IEnumerable<string> LinesSinceStart() => output.Skip(linesBeforeStart);

    private void Record(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>mosquitto could not bind its port: someone took it after we found it free.</summary>
internal sealed class PortTakenException : Exception
{
    public PortTakenException()
        : base("The broker's port was taken")
    {
    }
}
