using System.CommandLine;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>The <c>edgeemo</c> command tree.</summary>
public static class EdgeemoCommand
{
    public static RootCommand Create() => new("edgeemo: multimodal pain and affect scoring at the bedside (camera, microphone, EDA -> JMT -> MQTT)")
    {
        ModelsCommand.Create(),
        BenchCommand.Create(),
        ReplayCommand.Create(),
        RunCommand.Create(),
        DemoCommand.Create(),
        DevicesCommand.Create(),
        CalibrateEdaCommand.Create(),
    };
}
