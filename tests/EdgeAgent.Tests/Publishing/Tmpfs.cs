using System.Diagnostics;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing;

/// <summary>A small tmpfs mounted for one test (needs root, or CAP_SYS_ADMIN), unmounted on dispose.</summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount(8) syntax, "512k"); null, with the reason, where it cannot be done.</summary>
    public static Tmpfs? TryMount(string size, out string? whyNot)
    {
        var path = Directory.CreateTempSubdirectory("edgeemo-tmpfs-").FullName;
        whyNot = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        if (whyNot is null)
        {
            return new Tmpfs(path);
        }

        Directory.Delete(path);
        return null;
    }

    /// <summary>Fills the file system with one file; returns its path.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Create);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // Full.
        }

        return filler;
    }

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static string? Run(string command, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"{command} failed ({process.ExitCode}): {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{command} cannot run: {e.Message}";
        }
    }
}

/// <summary>A fact that needs a real tmpfs: skipped, with the reason, where none can be mounted (not root, no mount(8), a container without CAP_SYS_ADMIN).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        using var probe = Tmpfs.TryMount("64k", out var whyNot);
        if (probe is null)
        {
            Skip = $"needs a tmpfs mount: {whyNot}";
        }
    }
}
