using System.CommandLine;
using System.Text.RegularExpressions;
using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary><c>edgeemo demo --video FILE</c>: the camera plays a recorded video, looping, with the demo's dropouts.</summary>
public sealed partial class DemoVideoTests
{
    private static readonly PackManifest Expression = ModelPackLoader.Load(TestPaths.Pack("expression")).Manifest;

    [Fact]
    public void The_config_has_a_looping_file_camera_at_the_video_and_keeps_the_scripted_dropouts()
    {
        var state = Directory.CreateTempSubdirectory("edgeemo-demo-video-");
        try
        {
            var config = DemoSetup.Config("demo", TestPaths.Pack("expression"), Expression, new Uri("mqtt://127.0.0.1:1883"), state.FullName, TestMedia.ExpressionVideo);

            var visual = config.Sources.Visual!;
            Assert.Equal(SourceType.Camera, visual.Type);
            Assert.Equal(new CameraOptions { Kind = CameraKind.File, Path = Path.GetFullPath(TestMedia.ExpressionVideo), Loop = true }, visual.Camera);
            Assert.Null(config.Sources.Audio);
            Assert.Null(config.Sources.Eda);
            Assert.StartsWith("visual:missing@8-15,visual:missing@48-55,", config.Sources.Dropouts, StringComparison.Ordinal);
            AgentConfigReader.Validate(config, Environment.CurrentDirectory);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public void Without_a_video_the_camera_stays_synthetic()
    {
        var config = DemoSetup.Config("demo", TestPaths.Pack("affect-tiny"), ModelPackLoader.Load(TestPaths.Pack("affect-tiny")).Manifest, new Uri("mqtt://127.0.0.1:1883"), Path.GetTempPath());

        Assert.Equal(SourceType.Synthetic, config.Sources.Visual!.Type);
        Assert.Equal(SourceType.Synthetic, config.Sources.Audio!.Type);
    }

    public static TheoryData<string, string> BadVideos => new()
    {
        { "/nonexistent/clip.mp4", "error: --video file /nonexistent/clip.mp4 does not exist" },
        { TestMedia.Directory, $"error: --video {TestMedia.Directory} is a folder, not a file" },
        { TestMedia.CorruptVideo, $"error: --video: video file {TestMedia.CorruptVideo}: cannot be opened: missing, not a video, or an unsupported codec" },
        { TestMedia.Eda, $"error: --video: video file {TestMedia.Eda}: cannot be opened: missing, not a video, or an unsupported codec" },
    };

    [Theory]
    [MemberData(nameof(BadVideos))]
    public async Task A_video_that_is_missing_a_folder_or_not_a_video_is_a_one_line_usage_error(string video, string message)
    {
        var (code, output, error) = await CliRunner.RunAsync("demo", "--pack", TestPaths.Pack("expression"), "--video", video, "--duration", "1");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(message, error.TrimEnd());
        Assert.Equal("", output);
    }

    [Fact]
    public async Task The_expression_pack_on_the_committed_clip_shows_the_man_s_expression_change_from_neutral_to_surprised()
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var stop = new CancellationTokenSource();
        // Stopped (as by Ctrl+C) at the first output whose top class is "surprised" (4.3 s into the
        // clip); --duration only bounds a run that never gets there.
        var output = new StopAt("surprised", stop);
        var command = EdgeemoCommand.Create().Parse(["demo", "--pack", TestPaths.Pack("expression"), "--broker", broker.Uri.ToString(), "--video", TestMedia.ExpressionVideo, "--duration", "60"]);

        var code = await command.InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() }, stop.Token);

        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains($"demo: device demo, pack expression; camera: {TestMedia.ExpressionVideo}, looping; dropouts every 40 s", text, StringComparison.Ordinal);
        var tops = text.Split('\n').Select(l => ScoreLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["top"].Value).ToList();
        Assert.True(tops.Count >= 2 && tops[0] == "neutral" && tops.Contains("surprised"), $"top classes {string.Join(", ", tops)}:\n{text}");
    }

    // "   4.27s     16 ok        surprised 1.00 neutral 0.00    ok    5.9": the top class and its probability first.
    [GeneratedRegex(@"^\s*\d+\.\d+s\s+\d+\s+ok\s+(?<top>[a-z]+) [01]\.\d\d ")]
    private static partial Regex ScoreLine();

    /// <summary>Captures what the demo prints and cancels <c>stop</c> at the first output whose top class is <c>label</c>.</summary>
    private sealed class StopAt(string label, CancellationTokenSource stop) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && ScoreLine().Match(value) is { Success: true } m && m.Groups["top"].Value == label)
            {
                stop.Cancel();
            }
        }
    }
}
