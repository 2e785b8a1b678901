using EdgeEmotion.EdgeAgent.Publishing;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>Start-up validation: every bad setting is named, with why.</summary>
public sealed class MqttOptionsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("edgeemo-mqtt-options-").FullName;

    [Fact]
    public void Defaults_are_valid()
    {
        var options = new MqttOptions();

        Assert.Empty(options.Problems());
        Assert.Equal("edgeemo-bed-12", options.ClientIdFor("bed-12"));
        Assert.Equal(1883, options.BrokerPort);
        Assert.False(options.UseTls);
    }

    [Theory]
    [InlineData("http://broker:1883", "Mqtt.Broker 'http://broker:1883/' has scheme 'http': use mqtt:// or mqtts://")]
    [InlineData("mqtt://broker:0", "Mqtt.Broker 'mqtt://broker:0/' has port 0: use 1-65535")]
    [InlineData("mqtt://broker:1883/some/path", "has a path, query or fragment")]
    [InlineData("mqtt://edge:s3cret@broker:1883", "Mqtt.Broker carries credentials in the URI")]
    public void A_bad_broker_uri_is_named(string uri, string expected)
    {
        var problems = new MqttOptions { Broker = new Uri(uri) }.Problems();

        var problem = Assert.Single(problems);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_broker_uri_is_named() =>
        AssertProblem(new MqttOptions { Broker = new Uri("brokers/main", UriKind.Relative) }, "Mqtt.Broker 'brokers/main' is not an absolute URI");

    [Fact]
    public void Mqtts_without_a_port_means_8883() => Assert.Equal(8883, new MqttOptions { Broker = new Uri("mqtts://broker") }.BrokerPort);

    [Theory]
    [InlineData("", "Mqtt.TopicRoot is empty")]
    [InlineData("edgeemo/#", "Mqtt.TopicRoot 'edgeemo/#' contains a wildcard")]
    [InlineData("edgeemo/+/v1", "contains a wildcard")]
    [InlineData("/edgeemo/v1", "has an empty level")]
    [InlineData("edgeemo//v1", "has an empty level")]
    public void A_bad_topic_root_is_named(string root, string expected) =>
        AssertProblem(new MqttOptions { TopicRoot = root }, expected);

    [Fact]
    public void A_blank_client_id_is_named() => AssertProblem(new MqttOptions { ClientId = " " }, "Mqtt.ClientId is blank");

    [Fact]
    public void A_blank_username_is_named() => AssertProblem(new MqttOptions { Username = "" }, "Mqtt.Username is blank");

    [Fact]
    public void Both_password_sources_are_refused()
    {
        var file = Write("password", "x");
        AssertProblem(
            new MqttOptions { Username = "u", PasswordFile = file, PasswordEnvironmentVariable = "PATH" },
            "Mqtt.PasswordFile and Mqtt.PasswordEnvironmentVariable are both set: keep one");
    }

    [Fact]
    public void A_password_without_a_username_is_refused() =>
        AssertProblem(new MqttOptions { PasswordFile = Write("password", "x") }, "Mqtt.Username is missing");

    [Fact]
    public void A_missing_password_file_is_named()
    {
        var missing = Path.Combine(directory, "nope");
        AssertProblem(new MqttOptions { Username = "u", PasswordFile = missing }, $"Mqtt.PasswordFile '{missing}' does not exist");
    }

    [Fact]
    public void A_password_file_that_is_a_folder_is_named() =>
        AssertProblem(new MqttOptions { Username = "u", PasswordFile = directory }, $"Mqtt.PasswordFile '{directory}' is a directory, not a file");

    [Fact]
    public void An_unset_password_variable_is_named()
    {
        var variable = $"EDGEEMO_TEST_UNSET_{Guid.NewGuid():N}";
        AssertProblem(new MqttOptions { Username = "u", PasswordEnvironmentVariable = variable }, $"Mqtt.PasswordEnvironmentVariable '{variable}' is not set");
    }

    [Fact]
    public void A_missing_ca_file_is_named()
    {
        var missing = Path.Combine(directory, "ca.crt");
        AssertProblem(new MqttOptions { Broker = new Uri("mqtts://broker:8883"), CaFile = missing }, $"Mqtt.CaFile '{missing}' does not exist");
    }

    [Fact]
    public void A_ca_file_without_a_certificate_is_named()
    {
        var notPem = Write("ca.crt", "hello");
        AssertProblem(new MqttOptions { Broker = new Uri("mqtts://broker:8883"), CaFile = notPem }, $"Mqtt.CaFile '{notPem}' holds no PEM certificate");
    }

    [Fact]
    public async Task A_ca_file_for_a_plain_broker_is_refused()
    {
        using var pki = await TestCertificates.CreateAsync();
        AssertProblem(new MqttOptions { CaFile = pki.CaCertificate }, "is not TLS: use mqtts://");
    }

    [Fact]
    public async Task A_client_certificate_needs_its_key()
    {
        using var pki = await TestCertificates.CreateAsync();
        var tls = new Uri("mqtts://broker:8883");

        AssertProblem(new MqttOptions { Broker = tls, ClientCertificateFile = pki.ClientCertificate }, "Mqtt.ClientCertificateFile is set without Mqtt.ClientKeyFile");
        AssertProblem(new MqttOptions { Broker = tls, ClientKeyFile = pki.ClientKey }, "Mqtt.ClientKeyFile is set without Mqtt.ClientCertificateFile");
        AssertProblem(
            new MqttOptions { Broker = tls, ClientCertificateFile = pki.ClientCertificate, ClientKeyFile = pki.ServerKey },
            "is not a PEM certificate with its unencrypted private key");
        Assert.Empty(new MqttOptions { Broker = tls, CaFile = pki.CaCertificate, ClientCertificateFile = pki.ClientCertificate, ClientKeyFile = pki.ClientKey }.Problems());
    }

    [Theory]
    [InlineData(nameof(MqttOptions.KeepAlive), 0, "Mqtt.KeepAlive must be 1 s to 65535 s")]
    [InlineData(nameof(MqttOptions.KeepAlive), 70000, "Mqtt.KeepAlive must be 1 s to 65535 s")]
    [InlineData(nameof(MqttOptions.PublishTimeout), 0, "Mqtt.PublishTimeout must be positive")]
    [InlineData(nameof(MqttOptions.ReconnectMinDelay), -1, "Mqtt.ReconnectMinDelay must be positive")]
    [InlineData(nameof(MqttOptions.ReconnectMaxDelay), 0, "Mqtt.ReconnectMaxDelay must be positive")]
    [InlineData(nameof(MqttOptions.HealthInterval), 0, "Mqtt.HealthInterval must be positive")]
    public void A_bad_duration_is_named(string key, int seconds, string expected)
    {
        var options = new MqttOptions();
        typeof(MqttOptions).GetProperty(key)!.SetValue(options, TimeSpan.FromSeconds(seconds));

        Assert.Contains(options.Problems(), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_minimum_delay_above_the_maximum_is_named() =>
        AssertProblem(
            new MqttOptions { ReconnectMinDelay = TimeSpan.FromMinutes(2), ReconnectMaxDelay = TimeSpan.FromMinutes(1) },
            "Mqtt.ReconnectMinDelay 00:02:00 is greater than Mqtt.ReconnectMaxDelay 00:01:00");

    [Fact]
    public void Validate_lists_every_problem_at_once()
    {
        var options = new MqttOptions { TopicRoot = "", ClientId = "", PublishTimeout = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("Mqtt.TopicRoot", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mqtt.ClientId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mqtt.PublishTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_publisher_refuses_bad_options_and_device_ids()
    {
        var queue = new MemoryScoreQueue();
        var log = new TestLogger<MqttPublisher>();

        Assert.Throws<ArgumentException>(() => new MqttPublisher(new MqttOptions { TopicRoot = "#" }, "bed-12", queue, log));
        var error = Assert.Throws<ArgumentException>(() => new MqttPublisher(new MqttOptions(), "ward/bed-12", queue, log));
        Assert.Contains("one MQTT topic level", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static void AssertProblem(MqttOptions options, string expected)
    {
        var problems = options.Problems();
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"Expected a problem containing \"{expected}\", got: {string.Join(" | ", problems)}");
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
