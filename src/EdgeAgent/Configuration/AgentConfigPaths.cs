namespace EdgeEmotion.EdgeAgent.Configuration;

/// <summary>
/// Makes every path key of a config absolute against the config file's folder (docs/config.md),
/// once, as the file is read: nothing later depends on the process's current directory, so a
/// queue or a password file is the same one whichever folder the agent was started from.
/// </summary>
internal static class AgentConfigPaths
{
    /// <summary>Resolves the path keys in place. Blank values are left as they are, for validation to name.</summary>
    /// <exception cref="ConfigException">A path that cannot be a path (a NUL character, say).</exception>
    public static void Resolve(AgentConfig config, string baseDirectory)
    {
        var resolver = new Resolver(baseDirectory);
        config.Pack = resolver.Required("pack", config.Pack);

        foreach (var (kind, source) in new[] { ("visual", config.Sources.Visual), ("audio", config.Sources.Audio), ("eda", config.Sources.Eda) })
        {
            if (source is null)
            {
                continue;
            }

            source.Path = resolver.Optional($"sources.{kind}.path", source.Path);
            source.FaceImage = resolver.Optional($"sources.{kind}.faceImage", source.FaceImage);
            if (source.Camera is { } camera)
            {
                source.Camera = camera with
                {
                    Path = resolver.Optional($"sources.{kind}.camera.path", camera.Path),
                    Device = resolver.Required($"sources.{kind}.camera.device", camera.Device),
                };
            }

            if (source.Ads1115 is { } adc)
            {
                source.Ads1115 = adc with { CalibrationFile = resolver.Required($"sources.{kind}.ads1115.calibrationFile", adc.CalibrationFile) };
            }
        }

        var inference = config.Inference;
        inference.NativeLibraryPath = resolver.Optional("inference.nativeLibraryPath", inference.NativeLibraryPath);
        inference.CacheDirectory = resolver.Required("inference.cacheDirectory", inference.CacheDirectory);

        config.Faces.ModelsDirectory = resolver.Required("faces.modelsDirectory", config.Faces.ModelsDirectory);

        var mqtt = config.Mqtt;
        mqtt.PasswordFile = resolver.Optional("mqtt.passwordFile", mqtt.PasswordFile);
        mqtt.CaFile = resolver.Optional("mqtt.caFile", mqtt.CaFile);
        mqtt.ClientCertificateFile = resolver.Optional("mqtt.clientCertificateFile", mqtt.ClientCertificateFile);
        mqtt.ClientKeyFile = resolver.Optional("mqtt.clientKeyFile", mqtt.ClientKeyFile);

        config.Queue.Directory = resolver.Required("queue.directory", config.Queue.Directory);
        config.Ota.StateDirectory = resolver.Required("ota.stateDirectory", config.Ota.StateDirectory);
        config.Ota.TrustedKeys = resolver.Required("ota.trustedKeys", config.Ota.TrustedKeys);
    }

    private sealed class Resolver(string baseDirectory)
    {
        public string? Optional(string key, string? path) => path is null ? null : Required(key, path);

        public string Required(string key, string path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return path;
            }

            try
            {
                return Path.GetFullPath(path, baseDirectory);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException($"{key}: '{path}' is not a usable path: {e.Message}", e);
            }
        }
    }
}
