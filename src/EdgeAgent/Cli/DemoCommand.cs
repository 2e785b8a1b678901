using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo demo</c> (what <c>make run</c> starts): the real agent on synthetic sources (or a
/// recorded video on the camera) that drop out now and then, publishing to a broker (an in-process
/// one on 127.0.0.1 by default), with a line per output on the console.
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
        var video = new Option<string?>("--video") { Description = "A video file (any format FFmpeg reads) the camera plays, looping in real time, instead of the synthetic moving face photo" };
        var command = new Command("demo", "Run the agent on synthetic camera/microphone/EDA (or a recorded video on the camera) with dropouts, publishing over MQTT, with a live console view")
        {
            broker, deviceId, duration, pack, port, video,
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

            var videoFile = result.GetValue(video);
            if (videoFile is not null && !await DemoSetup.CheckVideoAsync(videoFile, error, cancellationToken))
            {
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
                var config = DemoSetup.Config(device, Path.GetFullPath(packDir), manifest, brokerUri, state.FullName, videoFile);
                AgentConfigReader.Validate(config, Environment.CurrentDirectory);
                var camera = videoFile is null ? "" : $"camera: {videoFile}, looping; ";
                output.WriteLine($"demo: device {device}, pack {manifest.Id}; {camera}{DemoSetup.DescribeDropouts(manifest)}");
                // MQTTnet's in-process broker refuses the empty client id mosquitto_sub sends over
                // MQTT 3.1.1; over MQTT 5 it assigns one. A real broker takes either.
                output.WriteLine($"watch: mosquitto_sub -h {brokerUri.Host} -p {brokerUri.Port}{(server is null ? "" : " -V mqttv5")} -t 'edgeemo/#' -v");
                output.WriteLine(seconds > 0 ? $"demo: running for {seconds:0.#} s" : "demo: running until Ctrl+C");

                using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)
                    .AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
                var view = new DemoConsoleView(output, manifest);
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
}
