using System.Text.Json;
using EdgeEmotion.Runtime.Configuration;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Microphone;

namespace EdgeEmotion.EdgeAgent.Configuration;

/// <summary>The config file is wrong; the message names the key and the reason.</summary>
public sealed class ConfigException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads and validates the config file completely before anything starts: one clear message
/// for the first bad key, so the service never runs half-configured.
/// </summary>
public static class AgentConfigReader
{
    public static AgentConfig Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new ConfigException($"config {path}: is a folder, not a config file");
        }

        if (!File.Exists(path))
        {
            throw new ConfigException($"config {path}: does not exist");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"config {path}: cannot be read: {e.Message}", e);
        }

        var config = Parse(text, path);
        Validate(config, Path.GetDirectoryName(Path.GetFullPath(path))!);
        return config;
    }

    public static AgentConfig Parse(string json, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ConfigException($"config {name}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {WithoutPosition(e.Message)}", e);
        }

        using (document)
        {
            if (StrictJson.FindProblem(document.RootElement, AgentConfigJsonContext.Default.AgentConfig) is { } problem)
            {
                throw new ConfigException($"config {name}: {problem.Path}: {problem.Message}");
            }

            try
            {
                return document.RootElement.Deserialize(AgentConfigJsonContext.Default.AgentConfig)
                    ?? throw new ConfigException($"config {name}: $: expected an object {{ ... }}, not null");
            }
            catch (JsonException e)
            {
                var path = e.Path ?? "$";
                var expected = ValueFormat.At(AgentConfigJsonContext.Default.AgentConfig, path) is { } typeInfo
                    ? $"expected {ValueFormat.Describe(typeInfo)}"
                    : "wrong type or value";
                throw new ConfigException($"config {name}: {path}: {expected}", e);
            }
        }
    }

    // System.Text.Json ends its messages with its own zero-based position ("LineNumber: 1 |
    // BytePositionInLine: 14."); the one-based position is already in ours.
    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }

    /// <summary>
    /// Makes every path absolute against <paramref name="baseDirectory"/> (the config file's
    /// folder), then the semantic checks: values, files, folders, and the pack itself (hashes included).
    /// </summary>
    public static void Validate(AgentConfig config, string baseDirectory)
    {
        AgentConfigPaths.Resolve(config, baseDirectory);
        Require(DeviceIdPattern(config.DeviceId), "deviceId", $"'{config.DeviceId}' must be 1-64 letters, digits, '-' or '_' (it is an MQTT topic level)");
        Check("inference", config.Inference.Validate);
        Check("mqtt", config.Mqtt.Validate);
        Check("queue", config.Queue.Validate);
        Require(config.Service.SourceLatency >= TimeSpan.Zero, "service.sourceLatency", "must be >= 0");
        Require(config.Service.BufferLength > TimeSpan.Zero, "service.bufferLength", "must be > 0");
        Require(config.Service.StallAfter > TimeSpan.Zero, "service.stallAfter", "must be > 0");
        Require(config.Ota.MaxDownloadBytes > 0, "ota.maxDownloadBytes", "must be > 0");
        Require(config.Ota.DownloadTimeout > TimeSpan.Zero, "ota.downloadTimeout", "must be > 0");
        Require(config.Ota.HealthGate.Outputs > 0, "ota.healthGate.outputs", "must be > 0");
        Require(config.Ota.HealthGate.Within > TimeSpan.Zero, "ota.healthGate.within", "must be > 0");
        Require(!string.IsNullOrWhiteSpace(config.Ota.StateDirectory), "ota.stateDirectory", "must not be empty");
        if (config.Ota.Enabled)
        {
            Require(Directory.Exists(config.Ota.TrustedKeys), "ota.trustedKeys", $"'{config.Ota.TrustedKeys}' is not a folder");
            Require(config.Ota.AllowedSigners is null || config.Ota.AllowedSigners.All(k => k.Length == 64 && k.All(char.IsAsciiHexDigitLower)),
                "ota.allowedSigners", "each must be a key id: 64 lowercase hex digits (sha256 of the public key)");
        }

        ModelPack pack;
        try
        {
            pack = ModelPackLoader.Load(config.Pack);
        }
        catch (ModelPackException e)
        {
            // The message starts with the pack folder itself, or with a file inside it.
            throw new ConfigException(Path.IsPathRooted(e.Location) ? $"pack: {e.Message}" : $"pack: {config.Pack}: {e.Message}", e);
        }

        Check("streaming", () => config.Streaming.Validate(pack.Manifest));
        if (FaceRecipes.NeedFaceModels(pack.Manifest))
        {
            var models = config.Faces.ModelsDirectory;
            Require(Directory.Exists(models), "faces.modelsDirectory",
                $"'{models}' is not a folder; pack {pack.Id} finds faces with the {FaceDetectors.TinyFaceDetector} (models/face of the bundle)");
            // Both nets the front end opens: a folder with the detector alone would pass here and stop the service at start.
            RequireFile(Path.Combine(models, FaceModels.DetectorFile), "faces.modelsDirectory");
            RequireFile(Path.Combine(models, FaceModels.LandmarkFile), "faces.modelsDirectory");
        }

        foreach (var (kind, source) in new[] { ("visual", config.Sources.Visual), ("audio", config.Sources.Audio), ("eda", config.Sources.Eda) })
        {
            if (source is null)
            {
                continue;
            }

            // A source for a modality the pack lacks is allowed (a device config names the sensors the
            // device has; the pack uses some of them): it is checked here, reported by --check and not opened.
            Require(source.Type != SourceType.Alsa || kind == "audio", $"sources.{kind}.type", "alsa is an audio source");
            Require(source.Type != SourceType.Camera || kind == "visual", $"sources.{kind}.type", "camera is a visual source");
            Require(source.Type != SourceType.Ads1115 || kind == "eda", $"sources.{kind}.type", "ads1115 is an EDA source");
            if (source.Type == SourceType.Ads1115)
            {
                var ads = source.Ads1115 ?? new Ads1115EdaOptions();
                Check($"sources.{kind}.ads1115", ads.Validate);
                RequireFile(ads.CalibrationFile, $"sources.{kind}.ads1115.calibrationFile", ": run `edgeemo calibrate-eda` first");
                try
                {
                    EdaCalibration.Load(ads.CalibrationFile);
                }
                catch (EdaCalibrationException e)
                {
                    throw new ConfigException($"sources.{kind}.ads1115.calibrationFile: {e.Message}", e);
                }
            }

            if (source.Type == SourceType.Camera)
            {
                var camera = source.Camera ?? new CameraOptions();
                Check($"sources.{kind}.camera", camera.Validate);
                if (camera.Kind == CameraKind.File)
                {
                    RequireFile(camera.Path!, $"sources.{kind}.camera.path");
                }
            }
            else if (source.Type == SourceType.Alsa)
            {
                Check($"sources.{kind}.alsa", () => (source.Alsa ?? new AlsaCaptureOptions()).Validate());
            }
            else if (source.Type == SourceType.File)
            {
                Require(source.Path is not null, $"sources.{kind}.path", "a file source needs a path");
                RequireFile(source.Path!, $"sources.{kind}.path");
            }
            else if (kind == "visual" && source.FaceImage is { } face)
            {
                RequireFile(face, "sources.visual.faceImage");
            }
        }

        foreach (var (key, folder) in FoldersWritten(config))
        {
            if (WritableFolder.Problem(folder) is { } problem)
            {
                throw new ConfigException($"{key}: '{folder}' {problem}");
            }
        }

        Require(config.Sources.Visual is not null || config.Sources.Audio is not null || config.Sources.Eda is not null,
            "sources", "configure at least one of visual, audio, eda");
        if (config.Sources.Dropouts is { } dropouts)
        {
            Check("sources.dropouts", () => Sensors.Synthetic.DropoutScript.Parse(dropouts));
        }
    }

    /// <summary>The folders the agent creates and writes files in, by key.</summary>
    private static IEnumerable<(string Key, string Folder)> FoldersWritten(AgentConfig config)
    {
        yield return ("queue.directory", config.Queue.Directory);
        if (config.Ota.Enabled)
        {
            yield return ("ota.stateDirectory", config.Ota.StateDirectory);
        }

        // TensorRT's engine and timing caches; without a usable folder TensorRT is dropped for CUDA.
        var tensorRt = config.Inference.TensorRt;
        if (config.Inference.Providers.Contains(ExecutionProviderKind.TensorRt) && (tensorRt.EngineCache || tensorRt.TimingCache))
        {
            yield return ("inference.cacheDirectory", config.Inference.CacheDirectory);
        }
    }

    private static bool DeviceIdPattern(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static void Require(bool condition, string key, string message)
    {
        if (!condition)
        {
            throw new ConfigException($"{key}: {message}");
        }
    }

    private static void RequireFile(string path, string key, string hint = "")
    {
        Require(!Directory.Exists(path), key, $"'{path}' is a folder, not a file");
        Require(File.Exists(path), key, $"'{path}' does not exist{hint}");
    }

    private static void Check(string section, Action validate)
    {
        try
        {
            validate();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or IOException)
        {
            // Options name their own keys ("Inference.Providers ..."); keep that, prefixed by the section when they don't.
            var message = e.Message.StartsWith(section, StringComparison.OrdinalIgnoreCase) ? e.Message : $"{section}: {e.Message}";
            throw new ConfigException(message, e);
        }
    }
}
