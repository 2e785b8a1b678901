namespace EdgeEmotion.Runtime.Packs;

/// <summary>What is wrong with a model pack; one value per distinct cause a user must fix.</summary>
public enum PackErrorKind
{
    /// <summary>The pack folder or its manifest.json is missing or not readable JSON.</summary>
    ManifestUnreadable,
    /// <summary>A field the schema requires is absent.</summary>
    MissingField,
    /// <summary>A field is present but has the wrong type or an impossible value.</summary>
    InvalidValue,
    /// <summary>A file the manifest lists is not in the pack.</summary>
    MissingFile,
    /// <summary>A file's sha256 differs from the manifest's.</summary>
    HashMismatch,
    /// <summary>A file in the pack (or a model the manifest uses) is not listed in <c>files</c>.</summary>
    UnlistedFile,
    /// <summary>An ONNX file does not load (truncated, corrupt, unsupported).</summary>
    InvalidModel,
    /// <summary>An ONNX model's input/output names, element types or shapes disagree with the manifest.</summary>
    ModelSignatureMismatch,
}
