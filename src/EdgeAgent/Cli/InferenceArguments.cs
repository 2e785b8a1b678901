using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using EdgeEmotion.EdgeAgent.Configuration;
using EdgeEmotion.Runtime.Inference;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>The options every verb that opens models shares, turned into validated <see cref="InferenceOptions"/>.</summary>
internal sealed class InferenceArguments
{
    public Option<string> Providers { get; } = new("--providers")
    {
        Description = "Execution providers in order of preference (tensorrt,cuda,cpu); each is used only if the ONNX Runtime build has it",
        DefaultValueFactory = _ => "tensorrt,cuda,cpu",
    };

    public Option<string?> OrtLibrary { get; } = CreateOrtLibraryOption();

    public Option<string?> CacheDir { get; } = new("--cache-dir")
    {
        Description = "Root of the TensorRT engine and timing caches (default: $EDGEEMO_CACHE_DIR, else ~/.cache/edgeemo)",
    };

    public Option<string> Precision { get; } = new("--precision")
    {
        Description = "TensorRT precision: fp16 (the device default) or fp32 (TensorRT held to the FP32 tolerance); other providers always run fp32",
        DefaultValueFactory = _ => "fp16",
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "Intra-op threads for the CPU provider (0 = ONNX Runtime's choice)",
        DefaultValueFactory = _ => 0,
    };

    /// <summary><c>--face-models</c>: verbs that score through the streaming pipeline or open a pack's models for the service (warmup, verify, install) add it (<see cref="AddFaceModelsTo"/>).</summary>
    public Option<string> FaceModels { get; } = new("--face-models")
    {
        Description = "The face models folder, for packs whose face recipe uses the tinyFaceDetector (default: models/face beside the executable)",
        DefaultValueFactory = _ => FacesConfig.DefaultModelsDirectory,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log provider selection and model loading to stderr",
    };

    /// <summary><c>--ort-library</c>, also offered alone by verbs that only report on the library (<c>devices</c>).</summary>
    public static Option<string?> CreateOrtLibraryOption() => new("--ort-library")
    {
        Description = "Path of a native libonnxruntime.so to use instead of the packaged one (Jetson TensorRT build)",
    };

    public void AddTo(Command command)
    {
        command.Add(Providers);
        command.Add(OrtLibrary);
        command.Add(CacheDir);
        command.Add(Precision);
        command.Add(Threads);
        command.Add(Verbose);
    }

    public void AddFaceModelsTo(Command command) => command.Add(FaceModels);

    /// <summary>The face models folder, made absolute; a folder given that does not exist is an <see cref="ArgumentException"/> (usage).</summary>
    public string BuildFaceModels(ParseResult result)
    {
        var folder = Path.GetFullPath(result.GetValue(FaceModels)!);
        if (result.GetResult(FaceModels) is { Implicit: false } && !Directory.Exists(folder))
        {
            throw new ArgumentException($"--face-models: '{folder}' is not a folder");
        }

        return folder;
    }

    /// <summary><see cref="BuildFaceModels"/>, printing the problem to the command's error writer instead of throwing.</summary>
    public bool TryBuildFaceModels(ParseResult result, [NotNullWhen(true)] out string? folder)
    {
        try
        {
            folder = BuildFaceModels(result);
            return true;
        }
        catch (ArgumentException e)
        {
            result.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            folder = null;
            return false;
        }
    }

    /// <summary>Builds and validates the options; binds the native library when one is named.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public InferenceOptions Build(ParseResult result)
    {
        List<ExecutionProviderKind> providers;
        try
        {
            providers = result.GetValue(Providers)!
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(ExecutionProviderNames.Parse)
                .ToList();
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--providers: {e.Message}", e);
        }

        var precision = result.GetValue(Precision)!.Trim().ToLowerInvariant();
        if (precision is not ("fp16" or "fp32"))
        {
            throw new ArgumentException($"--precision: '{result.GetValue(Precision)}' is not a precision (fp16, fp32)");
        }

        var options = new InferenceOptions
        {
            Providers = providers,
            TensorRt = new TensorRtOptions { Fp16 = precision == "fp16" },
            NativeLibraryPath = result.GetValue(OrtLibrary),
            IntraOpThreads = result.GetValue(Threads),
            CacheDirectory = result.GetValue(CacheDir) ?? DefaultCacheDirectory(),
        };
        options.Validate();
        if (options.NativeLibraryPath is { } path)
        {
            OnnxRuntimeLibrary.UseNativeLibrary(path);
        }

        return options;
    }

    /// <summary><see cref="Build"/>, printing the problem to the command's error writer instead of throwing.</summary>
    public bool TryBuild(ParseResult result, [NotNullWhen(true)] out InferenceOptions? options)
    {
        try
        {
            options = Build(result);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidOperationException)
        {
            result.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            options = null;
            return false;
        }
    }

    public ILoggerFactory CreateLoggerFactory(ParseResult result) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(result.GetValue(Verbose) ? LogLevel.Information : LogLevel.Warning)
        .AddSimpleConsole(o => o.SingleLine = true)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    private static string DefaultCacheDirectory() =>
        Environment.GetEnvironmentVariable("EDGEEMO_CACHE_DIR") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "edgeemo");
}
