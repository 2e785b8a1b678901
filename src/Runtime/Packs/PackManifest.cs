using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeEmotion.Runtime.Packs;

// The manifest.json contract of docs/model-pack.md. Every model fact the runtime uses comes
// from here; `required` marks what a pack must state, nullable what it may leave out.

public sealed record PackManifest
{
    public required int SchemaVersion { get; init; }
    public required string Id { get; init; }
    public required string Version { get; init; }
    public required string Task { get; init; }
    public string? Description { get; init; }
    public PackSource? Source { get; init; }
    public required IReadOnlyList<ModalitySpec> Modalities { get; init; }
    public required FusionSpec Fusion { get; init; }
    public required IReadOnlyList<OutputSpec> Outputs { get; init; }
    public required GoldenSpec Golden { get; init; }
    public required IReadOnlyDictionary<string, string> Files { get; init; }

    public const int SupportedSchemaVersion = 1;

    public ModalitySpec? FindModality(string name) =>
        Modalities.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
}

public sealed record PackSource
{
    public string? Exporter { get; init; }
    public string? Torch { get; init; }
    public long? Seed { get; init; }
    public string? Weights { get; init; }
}

public sealed record TensorSpec
{
    public required string Name { get; init; }
    public required string ElementType { get; init; }
    public string? Layout { get; init; }
    public required IReadOnlyList<long> Shape { get; init; }

    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

public sealed record ModelFileSpec
{
    public required string File { get; init; }
    public required IReadOnlyList<TensorSpec> Inputs { get; init; }
    public required IReadOnlyList<TensorSpec> Outputs { get; init; }
}

public sealed record ModalitySpec
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required ModelFileSpec Backbone { get; init; }
    public VideoSpec? Video { get; init; }
    public AudioSpec? Audio { get; init; }
    public EdaSpec? Eda { get; init; }
    public required MissingSpec Missing { get; init; }
}

public static class ModalityKinds
{
    public const string Video = "video";
    public const string Audio = "audio";
    public const string Eda = "eda";
}

public sealed record VideoSpec
{
    public required double FrameRate { get; init; }
    public required int ClipFrames { get; init; }
    public required int Dilation { get; init; }
    public required int SpanFrames { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required string PixelOrder { get; init; }
    public required double Scale { get; init; }
    public required IReadOnlyList<double> Mean { get; init; }
    public required IReadOnlyList<double> Std { get; init; }
}

public sealed record AudioSpec
{
    public required int SampleRate { get; init; }
    public required int SegmentSamples { get; init; }
    public required string Padding { get; init; }
    public required int NFft { get; init; }
    public required int WinLength { get; init; }
    public required int HopLength { get; init; }
    public required string Window { get; init; }
    public required bool Center { get; init; }
    public required string PadMode { get; init; }
    public required int NMels { get; init; }
    public required double FMin { get; init; }
    public double? FMax { get; init; }
    public required string MelScale { get; init; }
    public required string MelNorm { get; init; }
    public required double Power { get; init; }
    public required double DbMultiplier { get; init; }
    public double? TopDb { get; init; }
    public required double Amin { get; init; }
    public required double NormOffset { get; init; }
    public required double NormScale { get; init; }
}

public sealed record EdaSpec
{
    public required double SampleRate { get; init; }
    public required int SegmentSamples { get; init; }
    public required double LowpassHz { get; init; }
    public required int FilterOrder { get; init; }
    public required string Unit { get; init; }
    public required double Mean { get; init; }
    public required double Std { get; init; }
    public required double ValidMin { get; init; }
    public required double ValidMax { get; init; }
}

public sealed record MissingSpec
{
    public required string Substitute { get; init; }
    public double? Value { get; init; }
}

public sealed record FusionInputSpec
{
    public required string Modality { get; init; }
    public required string Name { get; init; }
    public required string ElementType { get; init; }
    public required IReadOnlyList<long> Shape { get; init; }

    public TensorSpec AsTensor() => new() { Name = Name, ElementType = ElementType, Shape = Shape };
}

public sealed record FusionSpec
{
    public required string File { get; init; }
    public required IReadOnlyList<FusionInputSpec> Inputs { get; init; }
    public required IReadOnlyList<TensorSpec> Outputs { get; init; }
    public required int Window { get; init; }
    public required int ClipSpacingFrames { get; init; }
    public required int FeatureDim { get; init; }

    public ModelFileSpec AsModelFile() => new()
    {
        File = File,
        Inputs = Inputs.Select(i => i.AsTensor()).ToList(),
        Outputs = Outputs,
    };
}

public static class OutputKinds
{
    public const string Regression = "regression";
    public const string Probability = "probability";
    public const string ClassLogits = "classLogits";
}

public sealed record OutputSpec
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public string? Meaning { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public IReadOnlyList<string>? Classes { get; init; }
    public int? SmoothingFrames { get; init; }
}

public sealed record GoldenSpec
{
    /// <summary>Max abs error for full-precision providers (CPU, CUDA, TensorRT FP32).</summary>
    public required double Tolerance { get; init; }

    /// <summary>Max abs error when TensorRT runs the model in FP16; falls back to <see cref="Tolerance"/>.</summary>
    public double? Fp16Tolerance { get; init; }

    public required IReadOnlyList<GoldenCase> Cases { get; init; }
    public IReadOnlyList<LogMelGoldenCase>? Logmel { get; init; }
    public double? LogmelTolerance { get; init; }
}

public sealed record GoldenCase
{
    /// <summary>A modality name (its backbone) or <c>fusion</c>.</summary>
    public required string Model { get; init; }
    public required IReadOnlyDictionary<string, string> Inputs { get; init; }
    public required IReadOnlyDictionary<string, string> Outputs { get; init; }
}

public sealed record LogMelGoldenCase
{
    public required string Waveform { get; init; }
    public required int SampleRate { get; init; }
    public required string Expected { get; init; }
    public string? Description { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = false,
    WriteIndented = true)]
[JsonSerializable(typeof(PackManifest))]
internal sealed partial class PackManifestJsonContext : JsonSerializerContext;
