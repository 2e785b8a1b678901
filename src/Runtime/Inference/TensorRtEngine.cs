namespace EdgeEmotion.Runtime.Inference;

/// <summary>Where a session's TensorRT engine came from, told apart by the engine files of its keyed cache folder.</summary>
public enum EngineCacheState
{
    /// <summary>TensorRT built an engine: the keyed folder held none, or one it could not use.</summary>
    Built,

    /// <summary>TensorRT loaded its engines from the keyed folder and built none.</summary>
    Found,

    /// <summary>The engine cache is off (<c>Inference:TensorRt:EngineCache</c>): TensorRT builds at every start.</summary>
    CacheOff,

    /// <summary>TensorRT wrote no engine file: it took no node of the model, and CUDA runs all of it.</summary>
    NoEngine,
}

/// <summary>The TensorRT engine behind a session: whether it was built or found, and in which cache folder.</summary>
public sealed record TensorRtEngine(EngineCacheState State, string? CacheFolder)
{
    /// <summary>The state as the CLI and logs print it: built, found, cache-off, no-engine.</summary>
    public string StateName => State switch
    {
        EngineCacheState.Built => "built",
        EngineCacheState.Found => "found",
        EngineCacheState.CacheOff => "cache-off",
        EngineCacheState.NoEngine => "no-engine",
        _ => throw new ArgumentOutOfRangeException(nameof(State), State, null),
    };
}

/// <summary>
/// The engine files of one cache folder (name and last write time), taken before a TensorRT
/// session is created and again after its warm-up: a new or rewritten file means TensorRT built
/// an engine; files that were there and did not change mean it loaded them.
/// </summary>
internal sealed class EngineFileSnapshot
{
    private readonly Dictionary<string, DateTime> files;

    private EngineFileSnapshot(Dictionary<string, DateTime> files) => this.files = files;

    public int Count => files.Count;

    public static EngineFileSnapshot Take(string folder) => new(!Directory.Exists(folder)
        ? []
        : new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => IsEngineFile(f.Name))
            .ToDictionary(f => f.Name, f => f.LastWriteTimeUtc, StringComparer.Ordinal));

    /// <summary>ONNX Runtime names engines <c>&lt;prefix&gt;_..._sm&lt;cc&gt;.engine</c> (and <c>.engine.encrypted</c> or <c>.stripped.engine</c>); <c>.profile</c> files go with them.</summary>
    public static bool IsEngineFile(string name) => name.Contains(".engine", StringComparison.Ordinal);

    /// <summary>What happened between this snapshot (before) and <paramref name="after"/>.</summary>
    public EngineCacheState Compare(EngineFileSnapshot after)
    {
        foreach (var (name, written) in after.files)
        {
            if (!files.TryGetValue(name, out var before) || before != written)
            {
                return EngineCacheState.Built;
            }
        }

        return after.Count > 0 ? EngineCacheState.Found : EngineCacheState.NoEngine;
    }
}
