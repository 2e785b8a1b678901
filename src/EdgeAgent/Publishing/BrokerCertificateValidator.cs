using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// Decides whether the broker's TLS certificate is trusted. With a CA file, that file's
/// certificates are the only trust anchors (the system store is ignored): the chain is rebuilt
/// against them. Without one, the system store decides. Either way the certificate must name the
/// host. The reason for a rejection is kept so the connection loop can say it in one line.
/// </summary>
internal sealed class BrokerCertificateValidator
{
    // id-kp-serverAuth: a client certificate or code-signing one must not pass as a broker.
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection? trustedRoots;
    private readonly string host;
    private string? lastFailure;
    private bool accepted;

    /// <param name="trustedRoots">The CA file's certificates, or null to use the system store.</param>
    public BrokerCertificateValidator(X509Certificate2Collection? trustedRoots, string host)
    {
        this.trustedRoots = trustedRoots;
        this.host = host;
    }

    /// <summary>Why the last certificate was refused; null when none was.</summary>
    public string? LastFailure => Volatile.Read(ref lastFailure);

    /// <summary>True once a broker certificate passed (a later failure is then not about trusting the broker).</summary>
    public bool AcceptedCertificate => Volatile.Read(ref accepted);

    public bool Validate(MqttClientCertificateValidationEventArgs args) => Validate(args.Certificate, args.Chain, args.SslPolicyErrors);

    public bool Validate(X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        var failure = Check(certificate, presentedChain, errors);
        Volatile.Write(ref lastFailure, failure);
        Volatile.Write(ref accepted, failure is null);
        return failure is null;
    }

    private string? Check(X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the broker sent no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"the broker's certificate '{certificate.Subject}' does not name host '{host}'";
        }

        if (trustedRoots is null)
        {
            return errors == SslPolicyErrors.None
                ? null
                : $"the broker's certificate '{certificate.Subject}' is not trusted by the system store ({ChainStatus(presentedChain)}); set Mqtt.CaFile to the CA that signed it";
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);

        // A clinic's private CA rarely publishes revocation lists; an unreachable CRL must not
        // take the device off the air. Trust is pinned to the CA file instead.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (presentedChain is not null)
        {
            // Intermediates the broker sent help build the path; they are not trusted by themselves.
            foreach (var element in presentedChain.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf)
            ? null
            : $"the broker's certificate '{certificate.Subject}' does not chain to Mqtt.CaFile ({ChainStatus(chain)})";
    }

    private static string ChainStatus(X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Select(s => s.Status).Distinct().ToList() ?? [];

        // An untrusted root makes revocation unknowable too; that echo only hides the cause.
        var causes = statuses.Where(s => s is not (X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation)).ToList();
        var shown = causes.Count > 0 ? causes : statuses;
        return shown.Count == 0 ? "no chain" : string.Join(", ", shown);
    }
}
