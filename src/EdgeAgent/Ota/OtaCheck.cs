namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>The check an OTA bundle failed; each refusal names exactly one.</summary>
public enum OtaCheck
{
    /// <summary>bundle.json/bundle.sig missing, unsigned, signed by an untrusted key, or the signature does not verify.</summary>
    Signature,
    /// <summary>bundle.json is signed but malformed (format version, fields, listed paths).</summary>
    BundleManifest,
    /// <summary>A tar entry's name is absolute, has '..', is outside pack/, is duplicated or is not listed in bundle.json.</summary>
    EntryPath,
    /// <summary>A tar entry is a link, device, directory or anything but a regular file.</summary>
    EntryType,
    /// <summary>A tar entry's size differs from bundle.json's, or is above the limit.</summary>
    Size,
    /// <summary>A file's sha256 differs from bundle.json's.</summary>
    Sha256,
    /// <summary>The archive ends early or breaks inside an entry, or listed files never came.</summary>
    Truncated,
    /// <summary>The unpacked pack does not load, or its id/version disagree with bundle.json.</summary>
    Pack,
    /// <summary>The pack's version is not newer than the active one (and --allow-downgrade was not given).</summary>
    Downgrade,
    /// <summary>The pack's golden self-test failed on the chosen providers.</summary>
    SelfTest,
    /// <summary>The state folder cannot be used (locked by another install, nothing to roll back to, I/O).</summary>
    State,
}

/// <summary>An install or rollback was refused; <see cref="Check"/> says which check failed.</summary>
public sealed class OtaException(OtaCheck check, string message, Exception? inner = null)
    : Exception($"{CheckName(check)}: {message}", inner)
{
    public OtaCheck Check { get; } = check;

    /// <summary>The check's name as printed and in --json ("entry path", "self-test", ...).</summary>
    public static string CheckName(OtaCheck check) => check switch
    {
        OtaCheck.Signature => "signature",
        OtaCheck.BundleManifest => "bundle manifest",
        OtaCheck.EntryPath => "entry path",
        OtaCheck.EntryType => "entry type",
        OtaCheck.Size => "size",
        OtaCheck.Sha256 => "sha256",
        OtaCheck.Truncated => "truncated",
        OtaCheck.Pack => "pack",
        OtaCheck.Downgrade => "downgrade",
        OtaCheck.SelfTest => "self-test",
        OtaCheck.State => "state",
        _ => check.ToString(),
    };
}
