namespace EdgeEmotion.EdgeAgent.Configuration;

/// <summary>
/// Proves that a folder the agent writes to (queue, OTA state, engine cache) is usable before
/// anything starts: it is a folder or can be created as one, and a file can be created in it.
/// Leaves nothing behind: folders it had to create and its probe file are removed again, so a
/// check run as another user changes no ownership.
/// </summary>
internal static class WritableFolder
{
    // errno values (the HResult of an IOException on Unix): a full file system or quota does not
    // make the folder unusable; what cannot be stored then is the queue's to count as dropped.
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;

    /// <summary>Null when <paramref name="path"/> (absolute) is usable, else why not, without the path itself.</summary>
    public static string? Problem(string path)
    {
        var missing = new Stack<string>();
        var existing = path;
        while (!File.Exists(existing) && !Directory.Exists(existing))
        {
            missing.Push(existing);
            existing = Path.GetDirectoryName(existing);
            if (existing is null)
            {
                return "cannot be created: no part of it exists";
            }
        }

        if (!Directory.Exists(existing))
        {
            return existing == path ? "is not a folder" : $"cannot be created: '{existing}' is not a folder";
        }

        var created = new List<string>();
        try
        {
            while (missing.TryPop(out var folder))
            {
                Directory.CreateDirectory(folder);
                created.Add(folder);
            }

            return ProbeProblem(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be created: {Reason(e)}";
        }
        finally
        {
            for (var i = created.Count - 1; i >= 0; i--)
            {
                try
                {
                    Directory.Delete(created[i]);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Best effort: an empty folder left behind is harmless; the agent creates it anyway.
                }
            }
        }
    }

    private static string? ProbeProblem(string folder)
    {
        var probe = Path.Combine(folder, $".edgeemo-check-{Guid.NewGuid():N}");
        try
        {
            // An empty file, removed on close: no data written, so a full disk does not fail the check.
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (IOException e) when (e.HResult is NoSpace or QuotaExceeded)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"is not writable: {Reason(e)}";
        }
    }

    // ENOENT on creating an entry in a folder that exists: .NET says "Could not find file", which
    // misleads; it is a file system that takes no new entries.
    private static string Reason(Exception e) => e is FileNotFoundException or DirectoryNotFoundException
        ? "the file system takes no new files here (as /proc and /sys)"
        : e.Message;
}
