namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// An output file argument: checked before any work (not a folder, in a folder that exists, can
/// be created there), and written whole or not at all (<c>FILE.partial</c>, then renamed).
/// </summary>
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

        // Creating the partial file now finds a read-only folder before an hour of work, not after.
        try
        {
            using var probe = new FileStream(Partial(file), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {option} {file} cannot be written: {e.Message}");
            return false;
        }

        return true;
    }

    /// <summary>The name a file is written under until it is complete.</summary>
    public static string Partial(string file) => file + ".partial";

    /// <summary>Writes <paramref name="file"/> through its partial name, so a reader never sees half of it.</summary>
    /// <exception cref="IOException">The file could not be written (the partial file is removed).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or file refuses writing.</exception>
    public static void WriteAtomically(string file, Action<Stream> write)
    {
        var partial = Partial(file);
        try
        {
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
            }

            File.Move(partial, file, overwrite: true);
        }
        catch
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }

            throw;
        }
    }
}
