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
        var broker = new Option<Uri?>("--broker") { Description = "mqtt://HOST:PORT of a broker to publish to (default: an in-process broker on 127.0.0.1)" };
        var deviceId = new Option<string>("--device-id") { Description = "Device id in the topics", DefaultValueFactory = _ => "demo" };
        var duration = new Option<double>("--duration") { Description = "Seconds to run (0: until Ctrl+C)", DefaultValueFactory = _ => 0 };
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
            if (seconds < 0)
            {
                error.WriteLine("error: --duration must be >= 0");
                return ExitCodes.Usage;
            }

            var packDir = result.GetValue(pack)!;
            PackManifest manifest;
            try
            {
                manifest = ModelPackLoader.Load(packDir).Manifest;
            }
            catch (ModelPackException e)
            {
                error.WriteLine($"error: --pack {packDir}: {e.Message}");
                return ExitCodes.Usage;
            }

            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (seconds > 0)
            {
                run.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            MqttServer? server = null;
            var brokerUri = result.GetValue(broker);
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
                output.WriteLine($"demo: device {device}, pack {manifest.Id}, dropouts {config.Sources.Dropouts}");
                output.WriteLine($"watch: mosquitto_sub -h {brokerUri.Host} -p {brokerUri.Port} -t 'edgeemo/#' -v");
                output.WriteLine(seconds > 0 ? $"demo: running for {seconds:0.#} s" : "demo: running until Ctrl+C");

                using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)
                    .AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
                var view = new ConsoleView(output, manifest);
                var runner = new AgentRunner(config, Environment.CurrentDirectory, loggers) { OnOutput = view.Write };
                await runner.RunAsync(ready: view.WriteHeader, run.Token);
                output.WriteLine($"demo: stopped after {runner.Outputs} outputs; {runner.Queue?.Depth ?? 0} left in the queue");
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

    internal static AgentConfig DemoConfig(string deviceId, string pack, PackManifest manifest, Uri broker, string stateDirectory)
    {
        bool Has(string kind) => manifest.Modalities.Any(m => m.Kind == kind);
        var synthetic = new SourceConfig { Type = SourceType.Synthetic };

        // A modality drops out now and then, so the view and the status topic show held/substituted.
        var dropouts = new List<string>();
        for (var t = 20; t < 3600; t += 60)
        {
            dropouts.Add($"visual:missing@{t}-{t + 8}");
            if (Has(ModalityKinds.Audio))
            {
                dropouts.Add($"audio:silence@{t + 30}-{t + 36}");
            }

            if (Has(ModalityKinds.Eda))
            {
                dropouts.Add($"eda:electrode-off@{t + 30}-{t + 40}");
            }
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
                : string.Join(' ', o.Scores.Select(s => s.Level is { } level ? $"{level,4} ({s.Value:0.00})" : $"{s.Value,10:+0.000;-0.000}"));
            var modalities = string.Join(' ', manifest.Modalities.Select(m => $"{Describe(o.Modalities[m.Name]),-18}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.ClipEnd.TotalSeconds,7:0.00}s {sequence,6} {o.Status,-9} {scores}  {modalities} {o.Latency.TotalMs,6:0.0}"));
        }

        private static string Describe(ModalityReport r) => r.State switch
        {
            ModalityState.Ok => "ok",
            ModalityState.Held => string.Create(CultureInfo.InvariantCulture, $"held {r.HeldFor?.TotalSeconds:0.0}s"),
            _ => $"subst. ({r.Reason})",
        };

        private static string Short(string name) => name.Length > 10 ? name[..10] : name;
    }
}
