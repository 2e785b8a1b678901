using EdgeEmotion.EdgeAgent.Cli;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Cli;

/// <summary>A file where a folder belongs, or a folder where a file belongs, is named as such, with exit 2.</summary>
public sealed class PathArgumentTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("edgeemo-args-").FullName;

    private static string Manifest => Path.Combine(TestPaths.Pack("affect-tiny"), "manifest.json");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Replay_calls_a_folder_given_as_an_input_file_a_folder()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"), "--audio", folder, "--out", Path.Combine(folder, "o.jsonl"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: --audio {folder} is a folder, not a file", error.Trim());
    }

    [Fact]
    public async Task Replay_refuses_an_output_that_is_a_folder_before_any_work()
    {
        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"), "--audio", TestMedia.Speech, "--out", folder, "--providers", "cpu");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: --out {folder} is a folder: give the file to write", error.Trim());
    }

    [Fact]
    public async Task Replay_refuses_an_output_in_a_missing_folder_before_any_work()
    {
        var output = Path.Combine(folder, "missing", "o.jsonl");

        var (code, _, error) = await CliRunner.RunAsync("replay", "--pack", TestPaths.Pack("affect-tiny"), "--audio", TestMedia.Speech, "--out", output, "--providers", "cpu");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: --out {output}: the folder {Path.Combine(folder, "missing")} does not exist", error.Trim());
    }

    [Fact]
    public async Task Models_list_calls_a_file_a_file()
    {
        var (code, _, error) = await CliRunner.RunAsync("models", "list", Manifest);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: {Manifest} is a file: give the folder that holds the pack folders", error.Trim());
    }

    [Fact]
    public async Task Demo_calls_a_file_given_as_the_pack_a_file_and_names_it_once()
    {
        var (code, _, error) = await CliRunner.RunAsync("demo", "--pack", Manifest, "--duration", "1");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: --pack: {Manifest}: is a file, not a pack folder: give the folder that holds manifest.json", error.Trim());
    }
}
