namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>An input file argument, checked before any work: it exists and is a file, not a folder.</summary>
internal static class InputFile
{
    /// <summary>Prints the problem (for exit 2) and returns false when <paramref name="file"/> is missing or a folder.</summary>
    public static bool Check(string option, string file, TextWriter error)
    {
        if (File.Exists(file))
        {
            return true;
        }

        error.WriteLine(Directory.Exists(file) ? $"error: {option} {file} is a folder, not a file" : $"error: {option} file {file} does not exist");
        return false;
    }
}
