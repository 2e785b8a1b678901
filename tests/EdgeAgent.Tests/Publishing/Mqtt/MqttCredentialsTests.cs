using System.Text;
using EdgeEmotion.EdgeAgent.Publishing;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

public sealed class MqttCredentialsTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"edgeemo-mqtt-pw-{Guid.NewGuid():N}");

    [Fact]
    public void No_user_means_anonymous() => Assert.Null(MqttCredentials.Load(new MqttOptions()));

    [Theory]
    [InlineData("s3cret\n")]
    [InlineData("s3cret\r\n")]
    [InlineData("s3cret")]
    public void The_password_file_loses_one_trailing_newline(string content)
    {
        File.WriteAllText(file, content);

        var credentials = MqttCredentials.Load(new MqttOptions { Username = "edge", PasswordFile = file })!;

        Assert.Equal("s3cret", Encoding.UTF8.GetString(credentials.Password!));
        Assert.Equal("edge", credentials.Username);
        Assert.DoesNotContain("s3cret", credentials.ToString(), StringComparison.Ordinal);
        Assert.Contains(file, credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_is_read_at_each_load()
    {
        var options = new MqttOptions { Username = "edge", PasswordFile = file };
        File.WriteAllText(file, "old");
        var before = MqttCredentials.Load(options)!;
        File.WriteAllText(file, "rotated");
        var after = MqttCredentials.Load(options)!;

        Assert.Equal("old", Encoding.UTF8.GetString(before.Password!));
        Assert.Equal("rotated", Encoding.UTF8.GetString(after.Password!));
    }

    [Fact]
    public void An_empty_or_missing_file_names_the_file_not_a_secret()
    {
        File.WriteAllText(file, "\n");
        var empty = Assert.Throws<MqttCredentialsException>(() => MqttCredentials.Load(new MqttOptions { Username = "edge", PasswordFile = file }));
        Assert.Equal($"Mqtt.PasswordFile '{file}' is empty", empty.Message);

        File.Delete(file);
        var missing = Assert.Throws<MqttCredentialsException>(() => MqttCredentials.Load(new MqttOptions { Username = "edge", PasswordFile = file }));
        Assert.StartsWith($"Mqtt.PasswordFile '{file}' cannot be read", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_can_come_from_the_environment()
    {
        // A variable name no other test uses: the environment is shared by the whole process.
        var variable = $"EDGEEMO_TEST_MQTT_PASSWORD_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "from-env");
        try
        {
            var credentials = MqttCredentials.Load(new MqttOptions { Username = "edge", PasswordEnvironmentVariable = variable })!;

            Assert.Equal("from-env", Encoding.UTF8.GetString(credentials.Password!));
            Assert.Equal($"edge (password: environment variable '{variable}')", credentials.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        var gone = Assert.Throws<MqttCredentialsException>(() => MqttCredentials.Load(new MqttOptions { Username = "edge", PasswordEnvironmentVariable = variable }));
        Assert.Contains(variable, gone.Message, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(file);
}
