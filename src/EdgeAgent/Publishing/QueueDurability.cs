namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>When the on-disk queue forces appended messages to stable storage.</summary>
public enum QueueDurability
{
    /// <summary>
    /// fsync before <see cref="IScoreQueue.Append"/> returns: a power cut loses nothing that was
    /// appended. One flash write per message.
    /// </summary>
    EveryMessage,

    /// <summary>
    /// fsync at most once per <see cref="ScoreQueueOptions.FlushInterval"/> (group commit): a
    /// SIGKILL loses nothing, a power cut loses at most the last interval. A message is handed to
    /// the publisher only once it is on disk, so a sequence number the dashboard has seen is never
    /// reused after a power cut; the price is up to one interval of extra latency.
    /// </summary>
    Batched,
}
