using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// How the agent reaches the clinic's broker. Bound from the config file's <c>Mqtt</c> section;
/// secrets are never stored here, only where to read them from.
/// </summary>
public sealed class MqttOptions
{
    /// <summary><c>mqtt://host:port</c> or <c>mqtts://host:port</c> (TLS). A missing port means 1883 or 8883.</summary>
    public Uri Broker { get; set; } = new("mqtt://127.0.0.1:1883");

    /// <summary>Null means <c>edgeemo-&lt;deviceId&gt;</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>Topics are <c>&lt;TopicRoot&gt;/&lt;deviceId&gt;/...</c> (docs/mqtt.md).</summary>
    public string TopicRoot { get; set; } = "edgeemo/v1";

    public string? Username { get; set; }

    /// <summary>A file holding the password (one trailing newline is ignored); read at each connect.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>An environment variable holding the password; read at each connect.</summary>
    public string? PasswordEnvironmentVariable { get; set; }

    /// <summary>PEM file of the CA(s) that signed the broker's certificate; when set, the only trust anchors.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM certificate for mutual TLS; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key (unencrypted) of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a QoS 1 publish may wait for its PUBACK before the connection is dropped and rebuilt.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True for <c>mqtts://</c>.</summary>
    public bool UseTls => string.Equals(Broker.Scheme, "mqtts", StringComparison.OrdinalIgnoreCase);

    /// <summary>The broker's port, with the scheme's default when the URI names none.</summary>
    public int BrokerPort => Broker.IsDefaultPort || Broker.Port < 0 ? (UseTls ? 8883 : 1883) : Broker.Port;

    public string ClientIdFor(string deviceId) => ClientId ?? $"edgeemo-{deviceId}";

    /// <summary>Throws <see cref="ArgumentException"/> naming every bad setting and why.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }
    }

    /// <summary>One line per bad setting, each starting with its key (<c>Mqtt.CaFile ...</c>); empty when all is well.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        CheckBroker(problems);
        CheckTopicRoot(problems);

        if (ClientId is not null && string.IsNullOrWhiteSpace(ClientId))
        {
            problems.Add("Mqtt.ClientId is blank: leave it out to use edgeemo-<deviceId>");
        }

        CheckCredentials(problems);
        CheckTls(problems);

        if (KeepAlive < TimeSpan.FromSeconds(1) || KeepAlive > TimeSpan.FromSeconds(ushort.MaxValue))
        {
            problems.Add($"Mqtt.KeepAlive must be 1 s to {ushort.MaxValue} s (MQTT's range, 0 would never notice a dead link), not {KeepAlive}");
        }

        RequirePositive(problems, "PublishTimeout", PublishTimeout);
        RequirePositive(problems, "ReconnectMinDelay", ReconnectMinDelay);
        RequirePositive(problems, "ReconnectMaxDelay", ReconnectMaxDelay);
        RequirePositive(problems, "HealthInterval", HealthInterval);
        if (ReconnectMinDelay > ReconnectMaxDelay)
        {
            problems.Add($"Mqtt.ReconnectMinDelay {ReconnectMinDelay} is greater than Mqtt.ReconnectMaxDelay {ReconnectMaxDelay}");
        }

        return problems;
    }

    private void CheckBroker(List<string> problems)
    {
        if (Broker is null)
        {
            problems.Add("Mqtt.Broker is missing: give mqtt://host:port or mqtts://host:port");
            return;
        }

        if (!Broker.IsAbsoluteUri)
        {
            problems.Add($"Mqtt.Broker '{Broker.OriginalString}' is not an absolute URI: give mqtt://host:port or mqtts://host:port");
            return;
        }

        if (Broker.Scheme is not ("mqtt" or "mqtts"))
        {
            problems.Add($"Mqtt.Broker '{Broker}' has scheme '{Broker.Scheme}': use mqtt:// or mqtts:// (TLS)");
        }

        if (string.IsNullOrEmpty(Broker.Host))
        {
            problems.Add($"Mqtt.Broker '{Broker}' names no host");
        }

        if (!Broker.IsDefaultPort && Broker.Port is < 1 or > 65535)
        {
            problems.Add($"Mqtt.Broker '{Broker}' has port {Broker.Port.ToString(CultureInfo.InvariantCulture)}: use 1-65535");
        }

        if (!string.IsNullOrEmpty(Broker.UserInfo))
        {
            // Said without echoing the URI: it holds the secret.
            problems.Add("Mqtt.Broker carries credentials in the URI: use Mqtt.Username with Mqtt.PasswordFile or Mqtt.PasswordEnvironmentVariable");
        }

        if (Broker.AbsolutePath is not ("/" or "") || !string.IsNullOrEmpty(Broker.Query) || !string.IsNullOrEmpty(Broker.Fragment))
        {
            problems.Add($"Mqtt.Broker '{Broker.GetLeftPart(UriPartial.Authority)}...' has a path, query or fragment: give only scheme, host and port");
        }
    }

    private void CheckTopicRoot(List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(TopicRoot))
        {
            problems.Add("Mqtt.TopicRoot is empty");
            return;
        }

        if (TopicRoot.AsSpan().IndexOfAny('+', '#', '\0') >= 0)
        {
            problems.Add($"Mqtt.TopicRoot '{TopicRoot}' contains a wildcard (+ or #) or NUL, which topic names may not");
        }

        if (TopicRoot.StartsWith('/') || TopicRoot.EndsWith('/') || TopicRoot.Contains("//", StringComparison.Ordinal))
        {
            problems.Add($"Mqtt.TopicRoot '{TopicRoot}' has an empty level (a leading, trailing or doubled '/')");
        }
    }

    private void CheckCredentials(List<string> problems)
    {
        if (Username is not null && string.IsNullOrWhiteSpace(Username))
        {
            problems.Add("Mqtt.Username is blank: leave it out for an anonymous connection");
        }

        if (PasswordFile is not null && PasswordEnvironmentVariable is not null)
        {
            problems.Add("Mqtt.PasswordFile and Mqtt.PasswordEnvironmentVariable are both set: keep one");
        }

        if ((PasswordFile is not null || PasswordEnvironmentVariable is not null) && Username is null)
        {
            problems.Add("Mqtt.Username is missing: a password is configured but MQTT sends it only with a user name");
        }

        if (PasswordFile is not null)
        {
            CheckReadableFile(problems, "PasswordFile", PasswordFile);
        }

        if (PasswordEnvironmentVariable is not null)
        {
            if (string.IsNullOrWhiteSpace(PasswordEnvironmentVariable))
            {
                problems.Add("Mqtt.PasswordEnvironmentVariable is blank: name the variable that holds the password");
            }
            else if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PasswordEnvironmentVariable)))
            {
                problems.Add($"Mqtt.PasswordEnvironmentVariable '{PasswordEnvironmentVariable}' is not set or empty in this process's environment");
            }
        }
    }

    private void CheckTls(List<string> problems)
    {
        var tlsFilesSet = CaFile is not null || ClientCertificateFile is not null || ClientKeyFile is not null;
        if (tlsFilesSet && Broker is { IsAbsoluteUri: true } && !UseTls)
        {
            problems.Add($"Mqtt.CaFile/ClientCertificateFile/ClientKeyFile are set but Mqtt.Broker '{Broker}' is not TLS: use mqtts://");
        }

        if (CaFile is not null && CheckReadableFile(problems, "CaFile", CaFile))
        {
            try
            {
                var certificates = TlsFiles.LoadCertificates(CaFile);
                if (certificates.Count == 0)
                {
                    problems.Add($"Mqtt.CaFile '{CaFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
                }

                foreach (var certificate in certificates)
                {
                    certificate.Dispose();
                }
            }
            catch (CryptographicException e)
            {
                problems.Add($"Mqtt.CaFile '{CaFile}' is not a readable PEM certificate file: {e.Message}");
            }
        }

        if ((ClientCertificateFile is null) != (ClientKeyFile is null))
        {
            problems.Add(ClientCertificateFile is null
                ? "Mqtt.ClientKeyFile is set without Mqtt.ClientCertificateFile: give both or neither"
                : "Mqtt.ClientCertificateFile is set without Mqtt.ClientKeyFile: give both or neither");
        }
        else if (ClientCertificateFile is not null && ClientKeyFile is not null)
        {
            var certificateReadable = CheckReadableFile(problems, "ClientCertificateFile", ClientCertificateFile);
            var keyReadable = CheckReadableFile(problems, "ClientKeyFile", ClientKeyFile);
            if (certificateReadable && keyReadable)
            {
                try
                {
                    using var certificate = TlsFiles.LoadClientCertificate(ClientCertificateFile, ClientKeyFile);
                }
                catch (Exception e) when (e is CryptographicException or ArgumentException)
                {
                    // ArgumentException: a key that belongs to another certificate.
                    problems.Add($"Mqtt.ClientCertificateFile '{ClientCertificateFile}' with Mqtt.ClientKeyFile '{ClientKeyFile}' is not a PEM certificate with its unencrypted private key: {e.Message}");
                }
            }
        }
    }

    private static bool CheckReadableFile(List<string> problems, string key, string path)
    {
        if (Directory.Exists(path))
        {
            problems.Add($"Mqtt.{key} '{path}' is a directory, not a file");
            return false;
        }

        if (!File.Exists(path))
        {
            problems.Add($"Mqtt.{key} '{path}' does not exist");
            return false;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"Mqtt.{key} '{path}' cannot be read: {e.Message}");
            return false;
        }
    }

    private static void RequirePositive(List<string> problems, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"Mqtt.{key} must be positive, not {value}");
        }
    }
}

/// <summary>PEM loading shared by validation and connection set-up.</summary>
internal static class TlsFiles
{
    /// <summary>Every certificate in a PEM file (a CA bundle may hold several).</summary>
    public static X509Certificate2Collection LoadCertificates(string pemFile)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(pemFile);
        return collection;
    }

    public static X509Certificate2 LoadClientCertificate(string certificateFile, string keyFile) =>
        X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
}
