namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>Checks an output file argument before any work: not a folder, in a folder that exists.</summary>
internal static class OutputFile
{
    public static bool Check(string option, string file, TextWriter error)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (Directory.Exists(file) || !Directory.Exists(folder))
        {
            error.WriteLine(Directory.Exists(file) ? $"error: {option} {file} is a folder: give the file to write" : $"error: {option} {file}: the folder {folder} does not exist");
            return false;
        }

        return true;
    }
}
