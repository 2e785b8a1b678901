namespace EdgeEmotion.Runtime.Streaming;

/// <summary>The reasons a modality is missing, as they appear in outputs and status messages.</summary>
public static class MissingReasons
{
    public const string NoSource = "no source";
    public const string Stalled = "stalled";
    public const string SourceEnded = "source ended";
    public const string SourceError = "source error";
    public const string NoFace = "no face";

    /// <summary>The followed face is smaller than the front end's minimum (trained face detector only).</summary>
    public const string FaceTooSmall = "face too small";

    /// <summary>The followed face's head pose is turned further than the front end allows (trained face detector only).</summary>
    public const string FaceTurnedAway = "face turned away";
    public const string Frozen = "frozen frames";
    public const string Silent = "silent";
    public const string Clipped = "clipped";
    public const string OutOfRange = "electrode off or saturated";

    /// <summary>The segment holds samples that are not numbers (NaN or infinite): a broken file, driver or sensor.</summary>
    public const string InvalidSamples = "invalid samples";
}
