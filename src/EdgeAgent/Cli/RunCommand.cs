using System.CommandLine;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Service;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary><c>edgeemo run --config FILE [--check]</c>: the service.</summary>
internal static class RunCommand
{
    /// <summary>Where install.sh puts the example config (deploy/jetson/edgeemo.json).</summary>
    public const string DefaultConfig = "/etc/edgeemo/edgeemo.json";

    /// <param name="defaultConfig">The config read without --config (tests name one that does not exist).</param>
    public static Command Create(string defaultConfig = DefaultConfig)
    {
        var configPath = new Option<string>("--config")
        {
            Description = "The config file (docs/config.md)",
            DefaultValueFactory = _ => defaultConfig,
        };
        var check = new Option<bool>("--check") { Description = "Only check the config (keys, files, the folders it writes, and the pack it names), then exit" };
        var command = new Command("run", "Run the agent: sources -> models -> MQTT, as a systemd service") { configPath, check };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(configPath)!;
            if (result.GetResult(configPath) is null or { Implicit: true } && !File.Exists(path))
            {
                result.InvocationConfiguration.Error.WriteLine(
                    $"error: no config file: {defaultConfig} does not exist. Give one with --config FILE; the example is deploy/jetson/edgeemo.json " +
                    $"(install.sh installs it as {DefaultConfig}), every key is in docs/config.md");
                return ExitCodes.Usage;
            }

            AgentConfig config;
            try
            {
                config = AgentConfigReader.Read(path);
                if (config.Inference.NativeLibraryPath is { } native)
                {
                    OnnxRuntimeLibrary.UseNativeLibrary(native);
                }
            }
            catch (Exception e) when (e is ConfigException or FileNotFoundException or InvalidOperationException)
            {
                result.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }

            if (result.GetValue(check))
            {
                result.InvocationConfiguration.Output.WriteLine($"config ok: device {config.DeviceId}, pack {config.Pack}, broker {config.Mqtt.Broker}");
                return CheckSources(config, path, result.InvocationConfiguration.Output);
            }

            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddConsole(o =>
            {
                // journald-friendly lines (with <N> priority prefixes) under systemd, single lines elsewhere.
                o.FormatterName = SystemdHelpers.IsSystemdService() ? ConsoleFormatterNames.Systemd : ConsoleFormatterNames.Simple;
                o.LogToStandardErrorThreshold = LogLevel.Trace;
            });
            builder.Services.Configure<SimpleConsoleFormatterOptions>(o => o.SingleLine = true);
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            builder.Services.AddSingleton(sp => new AgentService(
                config, baseDirectory, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<ISystemdNotifier>(),
                sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<AgentService>>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentService>());
            using var host = builder.Build();
            var agent = host.Services.GetRequiredService<AgentService>();
            await host.RunAsync(cancellationToken);
            return agent.ExitCode == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>
    /// One line per configured source (docs/config.md, "run --check"): exit 1 when, on a Jetson, the
    /// hardware a source names is missing; off a Jetson the device checks are skipped.
    /// </summary>
    private static int CheckSources(AgentConfig config, string path, TextWriter output)
    {
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var pack = ModelPackLoader.Load(Path.Combine(baseDirectory, config.Pack)).Manifest;
        var results = new SourceCheck().Check(config.Sources, pack, baseDirectory);
        foreach (var line in results)
        {
            output.WriteLine(line);
        }

        var failed = results.Count(r => r.Outcome == SourceCheckOutcome.Failed);
        if (failed > 0)
        {
            output.WriteLine($"sources: {failed} of the devices the config names are missing or unusable on this Jetson: those modalities will be reported missing");
            return ExitCodes.Failed;
        }

        return ExitCodes.Ok;
    }
}
