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

            OrtEnv.DisableDllImportResolver = true;
            var handle = NativeLibrary.Load(full);
            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, _, _) =>
                name is "onnxruntime" or "libonnxruntime" or "libonnxruntime.so" ? handle : IntPtr.Zero);
            configuredPath = full;
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
