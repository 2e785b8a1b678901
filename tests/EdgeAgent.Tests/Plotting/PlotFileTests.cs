using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.EdgeAgent.Plotting;
using EdgeEmotion.EdgeAgent.Tests.Cli;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Plotting;

/// <summary>A plot (or score) file that cannot be written: one clear line and an exit code, found before the run where it can be; the scores never lost.</summary>
public sealed class PlotFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-plotfile-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string File_(string name) => Path.Combine(folder, name);

    private static string[] Replay(params string[] more) =>
        ["replay", "--pack", TestPaths.Pack("affect-tiny"), "--audio", TestMedia.Speech, "--providers", "cpu", .. more];

    [Fact]
    public async Task A_plot_path_that_is_a_folder_is_refused_before_the_replay()
    {
        var (code, _, error) = await CliRunner.RunAsync(Replay("--out", File_("s.jsonl"), "--plot", folder));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: --plot {folder} is a folder: give the file to write", error.Trim());
        Assert.False(File.Exists(File_("s.jsonl")));
    }

    [Fact]
    public async Task A_plot_in_a_missing_folder_or_on_the_scores_file_is_refused_before_the_replay()
    {
        var missing = Path.Combine(folder, "nowhere", "p.html");
        var (code, _, error) = await CliRunner.RunAsync(Replay("--out", File_("s.jsonl"), "--plot", missing));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: --plot {missing}: the folder {Path.Combine(folder, "nowhere")} does not exist", error.Trim());

        (code, _, error) = await CliRunner.RunAsync(Replay("--out", File_("s.jsonl"), "--plot", File_("s.jsonl")));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: --plot {File_("s.jsonl")} is also the --out file", error.Trim(), StringComparison.Ordinal);
        Assert.False(File.Exists(File_("s.jsonl")));
    }

    [Fact]
    public async Task A_plot_that_cannot_be_created_is_refused_before_the_replay()
    {
        // A folder where the partial file goes stands for a read-only place (the tests may run as root).
        Directory.CreateDirectory(File_("p.html.partial"));

        var (code, _, error) = await CliRunner.RunAsync(Replay("--out", File_("s.jsonl"), "--plot", File_("p.html")));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: --plot {File_("p.html")} cannot be written: ", error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(File_("s.jsonl")));
    }

    [Fact]
    public async Task A_scores_file_that_cannot_be_created_is_a_clear_error_not_a_stack_trace()
    {
        Directory.CreateDirectory(File_("s.jsonl.partial"));

        var (code, _, error) = await CliRunner.RunAsync(Replay("--out", File_("s.jsonl")));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: --out {File_("s.jsonl")} cannot be written: ", error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_refuses_a_predictions_file_that_cannot_be_created()
    {
        Directory.CreateDirectory(File_("p.csv.partial"));
        File.WriteAllText(File_("labels.csv"), "valence\n0.1\n");

        var (code, _, error) = await CliRunner.RunAsync("evaluate", "--pack", TestPaths.Pack("affect-tiny"), "--video", TestMedia.FaceVideo,
            "--labels", File_("labels.csv"), "--out", File_("p.csv"), "--providers", "cpu");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: --out {File_("p.csv")} cannot be written: ", error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_plot_that_fails_at_the_end_is_one_line_exit_1_and_names_the_complete_scores()
    {
        // The folder appears after the check (another process, a full disk): the write fails, nothing half-written is left.
        Directory.CreateDirectory(File_("p.html.partial"));
        var manifest = ManifestReader.ReadFile(Path.Combine(TestPaths.Pack("affect-tiny"), "manifest.json"));
        var plot = new ScorePlot(new PlotCaption("replay", "affect-tiny", "1.0.0", "affect", false, [], [], 1), new ReplayTrace(manifest));
        var error = new StringWriter();

        var code = PlotArgument.Write(File_("p.html"), plot, error, File_("s.jsonl"));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.StartsWith($"error: --plot {File_("p.html")} could not be written: ", error.ToString(), StringComparison.Ordinal);
        Assert.EndsWith($"({File_("s.jsonl")} is complete)", error.ToString().Trim(), StringComparison.Ordinal);
        Assert.False(File.Exists(File_("p.html")));
    }
}
