namespace EdgeEmotion.Tests;

/// <summary>Tiny version 2 packs made by PyTorch in the test (make_v2_packs.py), once for the class.</summary>
public sealed class GeneratedVersion2Packs : IAsyncLifetime
{
    public static readonly string Script = PythonScript.Repo("tests", "Shared", "make_v2_packs.py");

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"edgeemo-test-v2-packs-{Guid.NewGuid():N}");

    public string Pack(string id) => Path.Combine(Directory, id);

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var (code, stdout, stderr) = await PythonScript.RunAsync(Script, Directory);
        Assert.True(code == 0, $"make_v2_packs.py failed ({code}): {stdout}{stderr}");
    }

    public Task DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }

        return Task.CompletedTask;
    }
}
