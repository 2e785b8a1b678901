namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>Process exit codes shared by every verb, so scripts and fleet tools can branch on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and found a problem (a pack that fails verification, say).</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or configuration; nothing was run.</summary>
    public const int Usage = 2;
}
