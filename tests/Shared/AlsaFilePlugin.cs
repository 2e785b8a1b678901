namespace EdgeEmotion.Tests;

/// <summary>
/// An ALSA config defining a capture PCM that plays a raw file through ALSA's `file` plugin, so
/// tests drive the real libasound without a sound card.
/// </summary>
internal static class AlsaFilePlugin
{
    /// <summary>Writes <c>asound.conf</c> into <paramref name="directory"/> and returns its path.</summary>
    public static string WriteConfig(string directory, string infile, string pcmName = "testmic")
    {
        var path = Path.Combine(directory, "asound.conf");
        File.WriteAllText(path, $$"""
            pcm.{{pcmName}} {
                type file
                slave.pcm { type null }
                file "/dev/null"
                infile "{{infile}}"
                format "raw"
            }
            """);
        return path;
    }
}
