using System.Reflection;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>The agent's version as the status topic reports it (the assembly's informational version, commit included).</summary>
public static class AgentVersion
{
    public static string Current { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
