namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// The queue folder cannot be used (held by another agent, a broken lock file, not creatable):
/// a one-line reason for the operator, no stack trace needed.
/// </summary>
public sealed class QueueFolderException : IOException
{
    public QueueFolderException(string message)
        : base(message)
    {
    }

    public QueueFolderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QueueFolderException()
    {
    }
}
