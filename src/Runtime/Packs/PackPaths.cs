namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// The one rule for a file name inside a pack (manifest <c>files</c>, model files, OTA bundle entries):
/// a relative path of '/'-separated names made of letters, digits, '.', '_', '-' and '+', no '.' or
/// '..' segment, each name within the file system's 255-byte limit, the whole within
/// <see cref="MaxLength"/> characters and <see cref="MaxDepth"/> folders. Checked before anything is
/// written, so a hostile name cannot climb out of a folder or build a deep tree of folders first.
/// </summary>
public static class PackPaths
{
    public const int MaxLength = 1024;
    public const int MaxDepth = 8;
    public const int MaxNameLength = 255;

    /// <summary>Why <paramref name="path"/> is not a pack file path, or null when it is one.</summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "is empty";
        }

        if (path.Length > MaxLength)
        {
            return $"is {path.Length} characters long; at most {MaxLength}";
        }

        if (path.FirstOrDefault(c => !IsAllowed(c) && c != '/') is var bad && bad != default)
        {
            return $"holds the character U+{(int)bad:X4}; only letters, digits, '.', '_', '-', '+' and '/' between names";
        }

        var names = path.Split('/');
        if (names.Length > MaxDepth)
        {
            return $"is {names.Length} levels deep; at most {MaxDepth}";
        }

        foreach (var name in names)
        {
            if (name.Length == 0)
            {
                return "has an empty name (a leading, trailing or doubled '/')";
            }

            if (name is "." or "..")
            {
                return $"has a '{name}' segment";
            }

            if (name.Length > MaxNameLength)
            {
                return $"has a name of {name.Length} characters; at most {MaxNameLength}";
            }
        }

        return null;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+';
}
