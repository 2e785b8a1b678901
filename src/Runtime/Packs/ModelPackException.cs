namespace EdgeEmotion.Runtime.Packs;

/// <summary>
/// A model pack failed to load. <see cref="Kind"/> says why, <see cref="Location"/> says where
/// (a file in the pack, or a JSON path inside manifest.json).
/// </summary>
public sealed class ModelPackException : Exception
{
    public ModelPackException(PackErrorKind kind, string location, string message, Exception? inner = null)
        : base($"{location}: {message}", inner)
    {
        Kind = kind;
        Location = location;
    }

    public PackErrorKind Kind { get; }

    public string Location { get; }
}
