namespace EdgeEmotion.Sensors;

/// <summary>When a file or synthetic source hands out its samples.</summary>
public enum SourcePacing
{
    /// <summary>As fast as the reader takes them: replay and tests.</summary>
    AsFastAsPossible,

    /// <summary>Each sample when its timestamp comes due on the source's clock: demos.</summary>
    RealTime,
}
