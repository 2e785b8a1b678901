namespace EdgeEmotion.Sensors.Microphone;

/// <summary>An ALSA call failed; <see cref="ErrorCode"/> is its negative errno, the message has snd_strerror's text and the device.</summary>
public sealed class AlsaException : Exception
{
    public AlsaException(string device, string operation, int errorCode)
        : base($"ALSA device '{device}': {operation} failed: {AlsaNative.ErrorText(errorCode)} ({errorCode})")
    {
        Device = device;
        ErrorCode = errorCode;
    }

    public AlsaException()
    {
        Device = string.Empty;
    }

    public AlsaException(string message)
        : base(message)
    {
        Device = string.Empty;
    }

    public AlsaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Device = string.Empty;
    }

    public string Device { get; }

    public int ErrorCode { get; }
}
