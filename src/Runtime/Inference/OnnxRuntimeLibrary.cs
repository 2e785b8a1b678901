using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>
/// Points the managed ONNX Runtime package at a native library by path (a Jetson build with
/// TensorRT). A DllImport resolver can be set once per assembly and must be set before any ORT
/// type is touched, so this is process-wide by nature: the first call wins and a later call
/// with another path is refused rather than silently ignored.
/// </summary>
public static class OnnxRuntimeLibrary
{
    private static readonly Lock Gate = new();
    private static string? configuredPath;

    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidOperationException">The file cannot be loaded, is not ONNX Runtime, or another library is already bound.</exception>
    public static void UseNativeLibrary(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"native ONNX Runtime library not found at {full}", full);
        }

        lock (Gate)
        {
            if (configuredPath is not null)
            {
                if (configuredPath != full)
                {
                    throw new InvalidOperationException($"ONNX Runtime is already bound to {configuredPath}; cannot switch to {full} in the same process");
                }

                return;
            }

            // Load and check the file before changing anything process-wide, so that a wrong path
            // leaves the packaged library usable.
            var handle = Load(full);
            OrtEnv.DisableDllImportResolver = true;
            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, _, _) =>
                name is "onnxruntime" or "libonnxruntime" or "libonnxruntime.so" ? handle : IntPtr.Zero);
            configuredPath = full;
        }
    }

    private static IntPtr Load(string path)
    {
        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // The loader's message says why: not an ELF file, wrong architecture, or a dependency
            // (libcudart, libnvinfer, ...) that is not on the library path.
            // .NET appends the dynamic loader's own error as the last line of its message. For a
            // library built for another CPU glibc says "No such file or directory" about a file
            // that exists, which misleads; say what it means.
            var reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            if (reason.StartsWith(path, StringComparison.Ordinal) && reason.EndsWith("No such file or directory", StringComparison.Ordinal))
            {
                reason = $"the loader rejects the file: is it built for another CPU architecture? (`file {path}`; this process is {RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()})";
            }

            throw new InvalidOperationException($"native ONNX Runtime library {path} cannot be loaded: {reason}", e);
        }

        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out _))
        {
            NativeLibrary.Free(handle);
            throw new InvalidOperationException($"{path} is not an ONNX Runtime library (it has no OrtGetApiBase)");
        }

        return handle;
    }

    /// <summary>The library bound by <see cref="UseNativeLibrary"/>, or null while the packaged one is used.</summary>
    public static string? NativeLibraryPath
    {
        get
        {
            lock (Gate)
            {
                return configuredPath;
            }
        }
    }

    /// <summary>The native library's version string, e.g. "1.31.1".</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>Execution providers the loaded native library was built with.</summary>
    public static IReadOnlyList<string> AvailableProviders => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>The managed package's version, for the log line that pairs it with the native one.</summary>
    public static string ManagedVersion =>
        typeof(OrtEnv).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
