using System.Text;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// The user name and password for one connection attempt. The password is read from its file or
/// environment variable each time (so a rotated secret is picked up on the next reconnect) and is
/// never part of any message, log line or <see cref="ToString"/>.
/// </summary>
public sealed class MqttCredentials
{
    private readonly byte[]? password;

    private MqttCredentials(string username, byte[]? password, string passwordSource)
    {
        Username = username;
        this.password = password;
        PasswordSource = passwordSource;
    }

    public string Username { get; }

    /// <summary>Where the password came from, for log lines: a file path or a variable name, never the value.</summary>
    public string PasswordSource { get; }

    internal byte[]? Password => password;

    /// <summary>Null when the options name no user (an anonymous connection).</summary>
    /// <exception cref="MqttCredentialsException">The password file or variable cannot be read or is empty; the message names it.</exception>
    public static MqttCredentials? Load(MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Username is null)
        {
            return null;
        }

        if (options.PasswordFile is { } file)
        {
            return new MqttCredentials(options.Username, ReadFile(file), $"file '{file}'");
        }

        if (options.PasswordEnvironmentVariable is { } variable)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(value))
            {
                throw new MqttCredentialsException($"Mqtt.PasswordEnvironmentVariable '{variable}' is not set or empty");
            }

            return new MqttCredentials(options.Username, Encoding.UTF8.GetBytes(value), $"environment variable '{variable}'");
        }

        return new MqttCredentials(options.Username, null, "none");
    }

    public override string ToString() => $"{Username} (password: {PasswordSource})";

    private static byte[] ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The exception's own message names the path and the OS error, never content.
            throw new MqttCredentialsException($"Mqtt.PasswordFile '{path}' cannot be read: {e.Message}", e);
        }

        // `echo secret > file` leaves a newline that is not part of the password.
        var password = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        if (password.Length == 0)
        {
            throw new MqttCredentialsException($"Mqtt.PasswordFile '{path}' is empty");
        }

        return Encoding.UTF8.GetBytes(password);
    }
}

/// <summary>A password source that cannot be used; the message names the file or variable, never a secret.</summary>
public sealed class MqttCredentialsException : Exception
{
    public MqttCredentialsException()
    {
    }

    public MqttCredentialsException(string message)
        : base(message)
    {
    }

    public MqttCredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
