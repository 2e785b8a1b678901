using System.Runtime.InteropServices;

namespace EdgeEmotion.Runtime.Inference;

/// <summary>What the engine cache key needs to know about the GPU stack of this machine.</summary>
public sealed record AcceleratorInfo(string TensorRtVersion, string Gpu)
{
    public static AcceleratorInfo None { get; } = new("none", "no-gpu");

    /// <summary>Reads the TensorRT library's own version and the GPU's model name.</summary>
    public static AcceleratorInfo Probe() => new(ProbeTensorRtVersion() ?? "none", ProbeGpu() ?? "no-gpu");

    private static unsafe string? ProbeTensorRtVersion()
    {
        foreach (var name in new[] { "libnvinfer.so.10", "libnvinfer.so.8", "libnvinfer.so" })
        {
            if (!NativeLibrary.TryLoad(name, out var handle))
            {
                continue;
            }

            try
            {
                if (!NativeLibrary.TryGetExport(handle, "getInferLibVersion", out var export))
                {
                    continue;
                }

                var version = ((delegate* unmanaged<int>)export)();
                return DecodeTensorRtVersion(version);
            }
            finally
            {
                NativeLibrary.Free(handle);
            }
        }

        return null;
    }

    /// <summary>TensorRT 10 encodes major*10000+minor*100+patch; earlier releases major*1000+minor*100+patch.</summary>
    public static string DecodeTensorRtVersion(int version) => version >= 100000
        ? $"{version / 10000}.{version / 100 % 100}.{version % 100}"
        : $"{version / 1000}.{version / 100 % 10}.{version % 100}";

    private static string? ProbeGpu()
    {
        // Jetson: the board name from the device tree (NUL-terminated).
        const string deviceTree = "/proc/device-tree/model";
        if (File.Exists(deviceTree))
        {
            var model = File.ReadAllText(deviceTree).TrimEnd('\0', '\n', ' ');
            if (model.Contains("NVIDIA", StringComparison.OrdinalIgnoreCase) || model.Contains("Jetson", StringComparison.OrdinalIgnoreCase))
            {
                return model;
            }
        }

        // Discrete GPUs: the NVIDIA driver's per-GPU information file.
        const string gpus = "/proc/driver/nvidia/gpus";
        if (Directory.Exists(gpus))
        {
            foreach (var info in Directory.EnumerateDirectories(gpus).Order().Select(d => Path.Combine(d, "information")).Where(File.Exists))
            {
                var line = File.ReadLines(info).FirstOrDefault(l => l.StartsWith("Model:", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line["Model:".Length..].Trim();
                }
            }
        }

        return null;
    }
}
