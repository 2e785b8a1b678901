using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// Everything one connection attempt needs, read fresh from the options' files and environment
/// (a rotated password, CA or client certificate is picked up on the next reconnect).
/// </summary>
internal sealed class MqttConnectionSettings : IDisposable
{
    private readonly X509Certificate2Collection? trustedRoots;
    private readonly X509Certificate2? clientCertificate;

    private MqttConnectionSettings(MqttCredentials? credentials, X509Certificate2Collection? trustedRoots, X509Certificate2? clientCertificate, BrokerCertificateValidator? validator)
    {
        Credentials = credentials;
        this.trustedRoots = trustedRoots;
        this.clientCertificate = clientCertificate;
        Validator = validator;
    }

    public MqttCredentials? Credentials { get; }

    /// <summary>Null for a plain TCP broker.</summary>
    public BrokerCertificateValidator? Validator { get; }

    /// <exception cref="MqttCredentialsException">A password source, CA file or client certificate cannot be used; the message names it.</exception>
    public static MqttConnectionSettings Load(MqttOptions options)
    {
        var credentials = MqttCredentials.Load(options);
        if (!options.UseTls)
        {
            return new MqttConnectionSettings(credentials, null, null, null);
        }

        X509Certificate2Collection? roots = null;
        X509Certificate2? client = null;
        try
        {
            if (options.CaFile is { } caFile)
            {
                roots = TlsFiles.LoadCertificates(caFile);
                if (roots.Count == 0)
                {
                    throw new MqttCredentialsException($"Mqtt.CaFile '{caFile}' holds no PEM certificate");
                }
            }

            if (options.ClientCertificateFile is { } certificateFile && options.ClientKeyFile is { } keyFile)
            {
                client = TlsFiles.LoadClientCertificate(certificateFile, keyFile);
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            DisposeAll(roots);
            client?.Dispose();
            throw new MqttCredentialsException($"Mqtt TLS files cannot be used (Mqtt.CaFile '{options.CaFile}', Mqtt.ClientCertificateFile '{options.ClientCertificateFile}'): {e.Message}", e);
        }

        return new MqttConnectionSettings(credentials, roots, client, new BrokerCertificateValidator(roots, options.Broker.DnsSafeHost));
    }

    /// <summary>MQTTnet's options: MQTT 5, clean start, keep-alive, the last will, credentials and TLS.</summary>
    public MqttClientOptions BuildClientOptions(MqttOptions options, string clientId, string willTopic, byte[] willPayload)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Broker.DnsSafeHost, options.BrokerPort)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)

            // No broker-side session: what must survive a disconnect is in our own durable queue.
            .WithCleanStart(true)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.PublishTimeout)
            .WithWillTopic(willTopic)
            .WithWillPayload(willPayload)
            .WithWillContentType("application/json")
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);

        if (Credentials is { } credentials)
        {
            builder = credentials.Password is { } password
                ? builder.WithCredentials(credentials.Username, password)
                : builder.WithCredentials(credentials.Username, (byte[]?)null);
        }

        if (Validator is { } validator)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls(true)
                    .WithTargetHost(options.Broker.DnsSafeHost)
                    .WithCertificateValidationHandler(validator.Validate);
                if (clientCertificate is not null)
                {
                    tls.WithClientCertificates([clientCertificate]);
                }
            });
        }

        return builder.Build();
    }

    public void Dispose()
    {
        DisposeAll(trustedRoots);
        clientCertificate?.Dispose();
    }

    private static void DisposeAll(X509Certificate2Collection? certificates)
    {
        foreach (var certificate in certificates ?? [])
        {
            certificate.Dispose();
        }
    }
}
