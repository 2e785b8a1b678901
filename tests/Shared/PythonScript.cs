namespace EdgeEmotion.Tests;

/// <summary>
/// Runs Debian's /usr/bin/python3 (the one with torch, onnx and jsonschema, installed by
/// scripts/setup.sh; the python3 first on PATH may lack them) and captures what it prints.
/// </summary>
internal static class PythonScript
{
    public const string Interpreter = "/usr/bin/python3";

    // UTF-8 mode: files and pipes are UTF-8 whatever this machine's locale says.
    private static readonly Dictionary<string, string?> Utf8Mode = new() { ["PYTHONUTF8"] = "1" };

    public static Task<ToolResult> RunAsync(params string[] arguments)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing: run scripts/setup.sh (python3-torch and friends)");
        return ToolRun.RunAsync(Interpreter, arguments, ToolRun.DefaultLimit, Utf8Mode);
    }

    /// <summary>A script in the checkout, e.g. <c>Repo("models", "export", "flops.py")</c>.</summary>
    public static string Repo(params string[] parts) => Path.Combine([TestPaths.RepoRoot, .. parts]);
}
