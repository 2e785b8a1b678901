using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo demo</c> (what <c>make run</c> starts): the real agent on synthetic sources that drop
/// out now and then, publishing to a broker (an in-process one on 127.0.0.1 by default), with a
/// line per output on the console.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var broker = new Option<string?>("--broker") { Description = "mqtt://HOST:PORT of a broker to publish to (default: an in-process broker on 127.0.0.1)" };
        var deviceId = new Option<string>("--device-id") { Description = "Device id in the topics", DefaultValueFactory = _ => "demo" };
        var duration = SecondsOption.Create("--duration", "Seconds to run (0: until Ctrl+C)", defaultValue: 0, max: TimeSpan.FromDays(365).TotalSeconds);
        var pack = new Option<string>("--pack") { Description = "Model pack folder", DefaultValueFactory = _ => "models/packs/affect-tiny" };
        var port = new Option<int>("--port") { Description = "Port of the in-process broker (0: 1883 if free, else any)", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Run the agent on synthetic camera/microphone/EDA with dropouts, publishing over MQTT, with a live console view")
        {
            broker, deviceId, duration, pack, port,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var seconds = result.GetValue(duration);
            var packDir = result.GetValue(pack)!;
            PackManifest manifest;
            try
            {
                manifest = ModelPackLoader.Load(packDir).Manifest;
            }
            catch (ModelPackException e)
            {
                // The message starts with the pack folder itself, or with a file inside it.
                error.WriteLine(Path.IsPathRooted(e.Location) ? $"error: --pack: {e.Message}" : $"error: --pack {packDir}: {e.Message}");
                return ExitCodes.Usage;
            }

            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (seconds > 0)
            {
                run.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            MqttServer? server = null;
            Uri? brokerUri = null;
            if (result.GetValue(broker) is { } given && !Uri.TryCreate(given, UriKind.Absolute, out brokerUri))
            {
                error.WriteLine($"error: --broker '{given}' is not a URI like mqtt://HOST:PORT");
                return ExitCodes.Usage;
            }

            if (brokerUri is null)
            {
                var chosen = result.GetValue(port) is > 0 and var p ? p : (IsFree(1883) ? 1883 : FreePort());
                server = await StartBrokerAsync(chosen);
                brokerUri = new Uri($"mqtt://127.0.0.1:{chosen}");
                output.WriteLine($"demo: in-process MQTT broker on 127.0.0.1:{chosen}");
            }

            var device = result.GetValue(deviceId)!;
            var state = Directory.CreateTempSubdirectory("edgeemo-demo-");
            try
            {
                var config = DemoConfig(device, Path.GetFullPath(packDir), manifest, brokerUri, state.FullName);
                AgentConfigReader.Validate(config, Environment.CurrentDirectory);
                output.WriteLine($"demo: device {device}, pack {manifest.Id}; {DescribeDropouts(manifest)}");
                // MQTTnet's in-process broker refuses the empty client id mosquitto_sub sends over
                // MQTT 3.1.1; over MQTT 5 it assigns one. A real broker takes either.
                output.WriteLine($"watch: mosquitto_sub -h {brokerUri.Host} -p {brokerUri.Port}{(server is null ? "" : " -V mqttv5")} -t 'edgeemo/#' -v");
                output.WriteLine(seconds > 0 ? $"demo: running for {seconds:0.#} s" : "demo: running until Ctrl+C");

                using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)
                    .AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
                var view = new ConsoleView(output, manifest);
                var runner = new AgentRunner(config, Environment.CurrentDirectory, loggers) { OnOutput = view.Write, SimulatedSourcesExpected = true };
                await runner.RunAsync(ready: view.WriteHeader, run.Token);
                output.WriteLine($"demo: stopped after {runner.Outputs} outputs; {runner.Undelivered ?? 0} left in the queue (not delivered)");
                return ExitCodes.Ok;
            }
            catch (ConfigException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            finally
            {
                if (server is not null)
                {
                    await server.StopAsync();
                    server.Dispose();
                }

                state.Delete(recursive: true);
            }
        });
        return command;
    }

    /// <summary>Seconds between the starts of the demo's scripted dropouts.</summary>
    internal const int DropoutCycle = 40;

    /// <summary>Seconds into the run of the first dropout.</summary>
    private const int FirstDropout = 8;

    /// <summary>
    /// The demo's dropouts per cycle (offset from the cycle's start, length), one per modality kind:
    /// the config's script and the banner both come from here, so the banner names only what runs.
    /// </summary>
    private static readonly (string Kind, string Script, string Words, int Offset, int Seconds)[] DropoutPlan =
    [
        (ModalityKinds.Video, "visual:missing", "missing", 0, 7),
        (ModalityKinds.Audio, "audio:silence", "silent", 18, 6),
        (ModalityKinds.Eda, "eda:electrode-off", "electrode off", 18, 8),
    ];

    private static IEnumerable<(string Name, string Script, string Words, int Offset, int Seconds)> DropoutsOf(PackManifest manifest) =>
        DropoutPlan.SelectMany(d => manifest.Modalities.Where(m => m.Kind == d.Kind).Take(1).Select(m => (m.Name, d.Script, d.Words, d.Offset, d.Seconds)));

    /// <summary>The banner's account of the scripted dropouts, naming only the pack's modalities.</summary>
    internal static string DescribeDropouts(PackManifest manifest) =>
        $"dropouts every {DropoutCycle} s, the first: " + string.Join(", ", DropoutsOf(manifest)
            .Select(d => $"{d.Name} {d.Words} {FirstDropout + d.Offset}-{FirstDropout + d.Offset + d.Seconds} s"));

    internal static AgentConfig DemoConfig(string deviceId, string pack, PackManifest manifest, Uri broker, string stateDirectory)
    {
        bool Has(string kind) => manifest.Modalities.Any(m => m.Kind == kind);
        var synthetic = new SourceConfig { Type = SourceType.Synthetic };

        // A modality drops out now and then (every DropoutCycle, for a day), so the view and the
        // status topic show held and substituted states.
        var dropouts = new List<string>();
        for (var t = FirstDropout; t < 86_400; t += DropoutCycle)
        {
            dropouts.AddRange(DropoutsOf(manifest).Select(d => $"{d.Script}@{t + d.Offset}-{t + d.Offset + d.Seconds}"));
        }

        return new AgentConfig
        {
            DeviceId = deviceId,
            Pack = pack,
            Sources = new SourcesConfig
            {
                Visual = synthetic,
                Audio = Has(ModalityKinds.Audio) ? synthetic : null,
                Eda = Has(ModalityKinds.Eda) ? synthetic : null,
                Dropouts = string.Join(',', dropouts),
            },
            Inference = new Runtime.Inference.InferenceOptions { Providers = [Runtime.Inference.ExecutionProviderKind.Cpu] },
            Streaming = new StreamingOptions { Defaults = new ModalityOptions { MaxHold = TimeSpan.FromSeconds(3) } },
            Mqtt = new MqttOptions { Broker = broker, HealthInterval = TimeSpan.FromSeconds(5) },
            Queue = new ScoreQueueOptions { Directory = Path.Combine(stateDirectory, "queue") },
        };
    }

    private static async Task<MqttServer> StartBrokerAsync(int port)
    {
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(port)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .Build();
        var server = factory.CreateMqttServer(options);

        // mosquitto_sub sends an empty client id; MQTT lets the server assign one (3.1.1 with a
        // clean session, and 5.0), which MQTTnet's broker only does when asked.
        server.ValidatingConnectionAsync += e =>
        {
            if (string.IsNullOrEmpty(e.ClientId))
            {
                e.AssignedClientIdentifier = $"watcher-{Guid.NewGuid():N}"[..20];
                e.ReasonCode = MQTTnet.Protocol.MqttConnectReasonCode.Success;
            }

            return Task.CompletedTask;
        };
        await server.StartAsync();
        return server;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>One line per output: time, seq, status, scores, each modality's state, latency.</summary>
    private sealed class ConsoleView(TextWriter output, PackManifest manifest)
    {
        public void WriteHeader() =>
            output.WriteLine($"{"clip end",8} {"seq",6} {"status",-9} {string.Join(' ', manifest.Outputs.Select(o => $"{Short(o.Name),10}"))}  {string.Join(' ', manifest.Modalities.Select(m => $"{m.Name,-18}"))} {"ms",6}");

        public void Write(ScoreOutput o, long sequence)
        {
            var scores = o.Scores is null
                ? string.Join(' ', manifest.Outputs.Select(_ => $"{"-",10}"))
                : string.Join(' ', o.Scores.Select(s => s.Level is { } level ? $"{s.Label ?? level.ToString(CultureInfo.InvariantCulture),4} ({s.Value:0.00})" : $"{s.Value,10:+0.000;-0.000;0.000}"));
            var modalities = string.Join(' ', manifest.Modalities.Select(m => $"{Describe(o.Modalities[m.Name]),-18}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.ClipEnd.TotalSeconds,7:0.00}s {sequence,6} {o.Status,-9} {scores}  {modalities} {o.Latency.TotalMs,6:0.0}"));
        }

        private static string Describe(ModalityReport r) => r.State switch
        {
            ModalityState.Ok => "ok",
            ModalityState.Held => string.Create(CultureInfo.InvariantCulture, $"held {r.HeldFor?.TotalSeconds:0.0}s"),
            ModalityState.Imagined => $"imag. ({r.Reason})",
            _ => $"subst. ({r.Reason})",
        };

        private static string Short(string name) => name.Length > 10 ? name[..10] : name;
    }
}
