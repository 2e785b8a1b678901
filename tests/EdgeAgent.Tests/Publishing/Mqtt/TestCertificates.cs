using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>
/// A throw-away PKI made with openssl at test time: a CA, a server certificate (for 127.0.0.1 and
/// localhost unless told otherwise), and a client certificate, all signed by the CA (P-256 keys, valid two days).
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string ServerCertificate => Path.Combine(Directory, "server.crt");

    public string ServerKey => Path.Combine(Directory, "server.key");

    public string ClientCertificate => Path.Combine(Directory, "client.crt");

    public string ClientKey => Path.Combine(Directory, "client.key");

    /// <param name="serverNames">The server certificate's subjectAltName entries.</param>
    public static async Task<TestCertificates> CreateAsync(string serverNames = "IP:127.0.0.1,DNS:localhost")
    {
        var directory = Path.Combine(Path.GetTempPath(), $"edgeemo-pki-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var pki = new TestCertificates(directory);
        try
        {
            await pki.CreateCaAsync();
            await pki.IssueAsync("server", "localhost", $"subjectAltName={serverNames}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
            await pki.IssueAsync("client", "edgeemo-test-device", "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
            return pki;
        }
        catch
        {
            pki.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private Task CreateCaAsync() =>
        OpenSsl(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(Directory, "ca.key"), "-out", CaCertificate, "-days", "2",
            "-subj", "/CN=EdgeEmotion Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private async Task IssueAsync(string name, string commonName, string extensions)
    {
        var key = Path.Combine(Directory, $"{name}.key");
        var request = Path.Combine(Directory, $"{name}.csr");
        var extensionFile = Path.Combine(Directory, $"{name}.ext");
        await File.WriteAllTextAsync(extensionFile, extensions);
        await OpenSsl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", request, "-subj", $"/CN={commonName}");
        await OpenSsl(
            "x509", "-req", "-in", request, "-CA", CaCertificate, "-CAkey", Path.Combine(Directory, "ca.key"), "-CAcreateserial",
            "-out", Path.Combine(Directory, $"{name}.crt"), "-days", "2", "-extfile", extensionFile);
    }

    private static async Task OpenSsl(params string[] arguments) => await ToolRun.RunCheckedAsync("/usr/bin/openssl", arguments);
}
