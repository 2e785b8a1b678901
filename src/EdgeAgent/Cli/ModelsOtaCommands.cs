using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Ota;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary><c>edgeemo models keygen|pack|install|rollback</c>: signed OTA bundles and the atomic install of one.</summary>
internal static class ModelsOtaCommands
{
    public const string DefaultStateDirectory = "/var/lib/edgeemo";
    public const string DefaultTrustedKeysDirectory = "/etc/edgeemo/trusted-keys";

    public static IEnumerable<Command> Create()
    {
        yield return CreateKeygen();
        yield return CreatePack();
        yield return CreateInstall(null);
        yield return CreateRollback();
    }

    public static Option<string?> StateDirOption(string? defaultValue) => new("--state-dir")
    {
        Description = $"Agent state folder; packs live in <state>/packs (default {DefaultStateDirectory})",
        DefaultValueFactory = _ => defaultValue,
    };

    private static Command CreateKeygen()
    {
        var outDir = new Option<string>("--out") { Description = "Folder for signing.key (0600) and signing.pub", Required = true };
        var command = new Command("keygen", "Create an ECDSA P-256 bundle signing key pair (never overwrites)") { outDir };
        command.SetAction(result =>
        {
            var dir = result.GetValue(outDir)!;
            try
            {
                var keyId = SigningKeys.Generate(dir);
                result.InvocationConfiguration.Output.WriteLine($"key id {keyId}");
                result.InvocationConfiguration.Output.WriteLine($"private key: {Path.Combine(dir, SigningKeys.PrivateKeyFile)} (keep it off devices)");
                result.InvocationConfiguration.Output.WriteLine($"public key:  {Path.Combine(dir, SigningKeys.PublicKeyFile)} (copy into each device's trusted-keys folder)");
                return ExitCodes.Ok;
            }
            catch (IOException e)
            {
                result.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static Command CreatePack()
    {
        var packDir = new Argument<string>("pack-dir") { Description = "The pack folder (holds manifest.json); verified before packing" };
        var key = new Option<string>("--key") { Description = "Private key (PKCS#8 PEM) from `models keygen`", Required = true };
        var outFile = new Option<string>("--out") { Description = "Bundle file to write (a tar)", Required = true };
        var command = new Command("pack", "Write a signed OTA bundle of a pack") { packDir, key, outFile };
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            try
            {
                var manifest = await BundleWriter.WriteAsync(result.GetValue(packDir)!, result.GetValue(key)!, result.GetValue(outFile)!, TimeProvider.System, cancellationToken);
                result.InvocationConfiguration.Output.WriteLine($"bundle {result.GetValue(outFile)}: {manifest.PackId} {manifest.PackVersion}, {manifest.Files.Count} files, signed");
                return ExitCodes.Ok;
            }
            catch (ModelPackException e)
            {
                error.WriteLine($"error: the pack does not verify ({e.Kind}): {e.Message}");
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    /// <param name="afterStep">Test hook called after each install step (a test throws from it to simulate a crash).</param>
    internal static Command CreateInstall(Action<InstallStep>? afterStep)
    {
        var bundle = new Argument<string>("bundle") { Description = "The signed bundle (from `models pack`)" };
        var stateDir = StateDirOption(DefaultStateDirectory);
        var trustedKeys = new Option<string>("--trusted-keys")
        {
            Description = $"Folder of trusted *.pub keys (default {DefaultTrustedKeysDirectory})",
            DefaultValueFactory = _ => DefaultTrustedKeysDirectory,
        };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Install even if the version is not newer than the active one" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var inference = new InferenceArguments();
        var command = new Command("install", "Verify, self-test and atomically activate a signed bundle") { bundle, stateDir, trustedKeys, allowDowngrade, json };
        inference.AddTo(command);
        inference.AddFaceModelsTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!inference.TryBuild(result, out var options) || !inference.TryBuildFaceModels(result, out var faceModels))
            {
                return ExitCodes.Usage;
            }

            using var loggerFactory = inference.CreateLoggerFactory(result);
            var warmup = new EngineWarmup(new ModelSessionFactory(options, loggerFactory.CreateLogger<ModelSessionFactory>()), loggerFactory, faceModels);
            var store = new PackStore(result.GetValue(stateDir)!);
            InstallReport report;
            try
            {
                using var trusted = TrustedKeys.Load(result.GetValue(trustedKeys)!);
                var installer = new PackInstaller(store, trusted, warmup, result.GetValue(allowDowngrade), afterStep: afterStep);
                var outcome = await installer.InstallAsync(result.GetValue(bundle)!, cancellationToken);
                report = new InstallReport(true, outcome.PackId, outcome.Version, outcome.Active, outcome.Previous, outcome.Models, null);
            }
            catch (OtaException e)
            {
                report = Refused(store, e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                report = Refused(store, new OtaException(OtaCheck.State, e.Message, e));
            }

            Write(result, json, report);
            return report.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static Command CreateRollback()
    {
        var stateDir = StateDirOption(DefaultStateDirectory);
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("rollback", "Make the previous pack active again (swaps active and previous atomically)") { stateDir, json };
        command.SetAction(result =>
        {
            var store = new PackStore(result.GetValue(stateDir)!);
            InstallReport report;
            try
            {
                var (active, previous) = PackRollback.Run(store);
                var manifest = ManifestReader.ReadFile(Path.Combine(active, ManifestReader.FileName));
                report = new InstallReport(true, manifest.Id, manifest.Version, active, previous, [], null);
            }
            catch (OtaException e)
            {
                report = Refused(store, e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ModelPackException)
            {
                report = Refused(store, new OtaException(OtaCheck.State, e.Message, e));
            }

            Write(result, json, report);
            return report.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static InstallReport Refused(PackStore store, OtaException e) =>
        new(false, null, null, store.Resolve(PackStore.ActiveLink), store.Resolve(PackStore.PreviousLink), [],
            new OtaRefusal(OtaException.CheckName(e.Check), e.Message));

    private static void Write(ParseResult result, Option<bool> json, InstallReport report)
    {
        var output = result.InvocationConfiguration.Output;
        if (result.GetValue(json))
        {
            output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.InstallReport));
        }
        else if (report.Refusal is { } refusal)
        {
            result.InvocationConfiguration.Error.WriteLine($"refused: {refusal.Message}");
            output.WriteLine($"active: {report.Active ?? "(none)"} (unchanged)");
        }
        else
        {
            output.WriteLine($"active: {report.Id} {report.Version} at {report.Active}");
            output.WriteLine($"previous: {report.Previous ?? "(none)"}");
        }
    }
}
