using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>
/// A command line the parser refuses (README: exit 2): the real `edgeemo` process prints the
/// error first, in words (the option meant, the format a value needs, never a .NET type name),
/// then one line pointing at the command's help, and not the help itself.
/// </summary>
public sealed class UsageErrorTests
{
    public static TheoryData<string[], string, string> Refused => new()
    {
        { ["frobnicate"], "unknown command 'frobnicate' for 'edgeemo' (commands: models, bench, replay, evaluate, run, demo, devices, calibrate-eda, faces)", "edgeemo" },
        { ["modles", "list"], "unknown command 'modles' for 'edgeemo'; did you mean 'models'?", "edgeemo" },
        { ["models", "lst"], "unknown command 'lst' for 'edgeemo models'; did you mean 'list'?", "edgeemo models" },
        { ["models"], "'edgeemo models' needs a command: list, verify, warmup, import, keygen, pack, install, rollback", "edgeemo models" },
        { ["run", "--confg", "/etc/edgeemo/edgeemo.json"], "unknown option '--confg' for 'edgeemo run'; did you mean '--config'?", "edgeemo run" },
        { ["run", "--config=/x.json", "--chek"], "unknown option '--chek' for 'edgeemo run'; did you mean '--check'?", "edgeemo run" },
        { ["replay", "--frobnicate"], "unknown option '--frobnicate' for 'edgeemo replay'", "edgeemo replay" },
        { ["devices", "extra"], "unexpected argument 'extra' for 'edgeemo devices'", "edgeemo devices" },
        { ["replay", "--pack", "p", "--out", "o", "--hop", "sixteen"], "--hop: 'sixteen' is not a whole number", "edgeemo replay" },
        { ["replay", "--pack", "p", "--out", "o", "--max-hold", "soon"], "--max-hold: 'soon' is not a number of seconds from 0 to 86400", "edgeemo replay" },
        { ["bench", "--pack", "p", "--iterations", "1.5"], "--iterations: '1.5' is not a whole number", "edgeemo bench" },
        { ["replay", "--pack", "p", "--out", "o", "--audio", "a.wav", "--max-hold", "NaN"], "--max-hold: 'NaN' is not a number of seconds from 0 to 86400", "edgeemo replay" },
        { ["replay", "--pack", "p", "--out", "o", "--audio", "a.wav", "--max-hold", "1e300"], "--max-hold: '1e300' is not a number of seconds from 0 to 86400", "edgeemo replay" },
        { ["replay", "--pack", "p", "--out", "o", "--audio", "a.wav", "--max-hold", "-5"], "--max-hold: '-5' is not a number of seconds from 0 to 86400", "edgeemo replay" },
        { ["demo", "--duration", "1e300"], "--duration: '1e300' is not a number of seconds from 0 to 31536000", "edgeemo demo" },
        { ["demo", "--duration", "NaN"], "--duration: 'NaN' is not a number of seconds from 0 to 31536000", "edgeemo demo" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_refused_command_line_exits_2_with_the_error_first_and_a_usage_hint(string[] args, string error, string command)
    {
        var run = await ToolRun.RunAsync(Path.Combine(AppContext.BaseDirectory, "edgeemo"), args);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Empty(run.Output);
        var lines = run.Error.TrimEnd().Split('\n');
        Assert.Equal($"error: {error}", lines[0]);
        Assert.Equal($"Run '{command} --help' for usage.", lines[^1]);
        Assert.DoesNotContain("Usage:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_still_prints_the_whole_help_and_exits_0()
    {
        var run = await ToolRun.RunAsync(Path.Combine(AppContext.BaseDirectory, "edgeemo"), "run", "--help");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("--config", run.Output, StringComparison.Ordinal);
    }
}
