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

    /// <summary>Version 2: source frames between the ends of consecutive clips the scores use (version 1: <c>fusion.clipSpacingFrames</c>).</summary>
    public int? ClipSpacingFrames { get; init; }

    /// <summary>The head that turns the streams' clip features into scores; version 2 packs without one score with their only stream's backbone.</summary>
    public FusionSpec? Fusion { get; init; }
    public required IReadOnlyList<OutputSpec> Outputs { get; init; }
    public required GoldenSpec Golden { get; init; }
    public required IReadOnlyDictionary<string, string> Files { get; init; }

    public const int SupportedSchemaVersion = 2;

    /// <summary>Schema versions this runtime reads: version 1 packs load unchanged.</summary>
    public static readonly IReadOnlyList<int> SupportedSchemaVersions = [1, 2];

    public ModalitySpec? FindModality(string name) =>
        Modalities.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));

    // The normalised view the runtime works from: a version-1 modality is one stream named after
    // it, with the fusion head's single feature size. Call after ManifestConsistency.Check.

    /// <summary>Every stream in manifest order (modalities in order, each one's streams in order).</summary>
    [JsonIgnore]
    public IReadOnlyList<StreamBinding> Streams => [.. Modalities.SelectMany(m => m.StreamsOf(this))];

    public StreamBinding? FindStream(string name) =>
        Streams.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>Frames between the ends of consecutive clips that one fusion window spans (1 position each).</summary>
    [JsonIgnore]
    public int ClipSpacing => ClipSpacingFrames ?? Fusion?.ClipSpacingFrames
        ?? throw new InvalidOperationException($"pack {Id} states no clip spacing");

    /// <summary>Clips per fusion window; 1 for a pack without fusion.</summary>
    [JsonIgnore]
    public int Window => Fusion?.Window ?? 1;

    /// <summary>Name of the model whose outputs are the scores: <c>fusion</c>, or the only stream's backbone.</summary>
    [JsonIgnore]
    public string ScoreModelName => Fusion is null ? Streams.Single().Name : PackModelNames.Fusion;

    /// <summary>The model whose outputs are the scores.</summary>
    [JsonIgnore]
    public ModelFileSpec ScoreModel => Fusion?.AsModelFile() ?? Streams.Single().Backbone;

    /// <summary>Which axis of a score tensor is time (the clip positions of the window); null for window-level outputs.</summary>
    public int? TimeAxisOf(TensorSpec scoreTensor) => SchemaVersion == 1 ? 1 : scoreTensor.TimeAxis;
}

/// <summary>Names of a pack's models as sessions, golden cases and engine caches know them.</summary>
public static class PackModelNames
{
    public const string Fusion = "fusion";

    /// <summary>The imagination model that predicts <paramref name="stream"/>'s feature (a '.' no stream name holds).</summary>
    public static string Imagination(string stream) => "imagine." + stream;
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

    /// <summary>Version 2 score tensors: which axis is time (the newest position is read); absent for window-level outputs.</summary>
    public int? TimeAxis { get; init; }

    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

public sealed record ModelFileSpec
{
    public required string File { get; init; }
    public required IReadOnlyList<TensorSpec> Inputs { get; init; }
    public required IReadOnlyList<TensorSpec> Outputs { get; init; }
}

/// <summary>
/// One sensor's data. Version 1 states one backbone and its recipe here; version 2 lists
/// <see cref="Streams"/>, each with its own backbone, recipe and feature size.
/// </summary>
public sealed record ModalitySpec
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public ModelFileSpec? Backbone { get; init; }
    public VideoSpec? Video { get; init; }
    public AudioSpec? Audio { get; init; }
    public EdaSpec? Eda { get; init; }
    public IReadOnlyList<StreamSpec>? Streams { get; init; }
    public required MissingSpec Missing { get; init; }

    /// <summary>This modality's streams, normalised (see <see cref="PackManifest.Streams"/>).</summary>
    public IEnumerable<StreamBinding> StreamsOf(PackManifest manifest)
    {
        if (Streams is { } streams)
        {
            return streams.Select(s => new StreamBinding(this, s));
        }

        var recipe = Kind switch
        {
            ModalityKinds.Video => StreamRecipes.FaceClip,
            ModalityKinds.Audio => StreamRecipes.LogMel,
            _ => StreamRecipes.Eda,
        };
        return [new StreamBinding(this, new StreamSpec
        {
            Name = Name,
            Recipe = recipe,
            Backbone = Backbone!,
            FeatureDim = manifest.Fusion?.FeatureDim,
            FaceClip = Video,
            Logmel = Audio,
            Eda = Eda,
        })];
    }
}

/// <summary>Version 2: one backbone on one modality's data, prepared by one recipe.</summary>
public sealed record StreamSpec
{
    /// <summary>Unique across the pack; fusion and imagination inputs name it.</summary>
    public required string Name { get; init; }

    /// <summary>One of <see cref="StreamRecipes"/>; the recipe's parameters sit under the property of the same name.</summary>
    public required string Recipe { get; init; }
    public required ModelFileSpec Backbone { get; init; }

    /// <summary>Size of the clip feature the backbone gives ([1, featureDim]); absent when its outputs are the scores (no fusion).</summary>
    public int? FeatureDim { get; init; }
    public VideoSpec? FaceClip { get; init; }
    public AudioSpec? Logmel { get; init; }
    public WaveformSpec? Waveform { get; init; }
    public EdaSpec? Eda { get; init; }

    /// <summary>A model that predicts this stream's feature from other modalities' streams (used by <c>missing.substitute: "imagine"</c>).</summary>
    public ImaginationSpec? Imagination { get; init; }
}

public static class StreamRecipes
{
    /// <summary>Face crops sampled over the clip ([1, 3, clipFrames, height, width]; with clipFrames 1 also [1, 3, height, width]).</summary>
    public const string FaceClip = "faceClip";

    /// <summary>Log-mel spectrogram of the audio segment ending with the clip.</summary>
    public const string LogMel = "logmel";

    /// <summary>Raw samples of the audio segment ending with the clip, resampled to the stream's rate.</summary>
    public const string Waveform = "waveform";

    /// <summary>Filtered, normalised EDA segment ending with the clip.</summary>
    public const string Eda = "eda";
}

/// <summary>A stream with the modality it reads: what the runtime builds one track, one backbone session and one feature history for.</summary>
public sealed record StreamBinding(ModalitySpec Modality, StreamSpec Spec)
{
    public string Name => Spec.Name;

    public string Recipe => Spec.Recipe;

    public ModelFileSpec Backbone => Spec.Backbone;

    public int? FeatureDim => Spec.FeatureDim;
}

/// <summary>Version 2: a model from present streams' clip features to one stream's feature (the MMIN family).</summary>
public sealed record ImaginationSpec
{
    public required string File { get; init; }

    /// <summary>Each input names a stream of another modality and takes its clip feature, [1, featureDim].</summary>
    public required IReadOnlyList<FeatureInputSpec> Inputs { get; init; }

    /// <summary>One output: the imagined feature, [1, featureDim of the stream].</summary>
    public required IReadOnlyList<TensorSpec> Outputs { get; init; }

    public ModelFileSpec AsModelFile() => new()
    {
        File = File,
        Inputs = Inputs.Select(i => i.AsTensor()).ToList(),
        Outputs = Outputs,
    };
}

public static class ModalityKinds
{
    public const string Video = "video";
    public const string Audio = "audio";
    public const string Eda = "eda";
}

public sealed record MissingSpec
{
    /// <summary>black (video), silence (audio), neutral (EDA), or, in version 2, imagine (every stream of the modality carries an imagination model).</summary>
    public required string Substitute { get; init; }
    public double? Value { get; init; }
}

public static class MissingSubstitutes
{
    public const string Black = "black";
    public const string Silence = "silence";
    public const string Neutral = "neutral";
    public const string Imagine = "imagine";
}

/// <summary>A model input fed with a stream's clip features: version 1 names the modality, version 2 the stream.</summary>
public sealed record FeatureInputSpec
{
    public string? Modality { get; init; }
    public string? Stream { get; init; }
    public required string Name { get; init; }
    public required string ElementType { get; init; }
    public required IReadOnlyList<long> Shape { get; init; }

    /// <summary>The stream this input takes (a version-1 modality is a stream of the same name).</summary>
    [JsonIgnore]
    public string Source => Stream ?? Modality ?? "";

    public TensorSpec AsTensor() => new() { Name = Name, ElementType = ElementType, Shape = Shape };
}

public sealed record FusionSpec
{
    public required string File { get; init; }

    /// <summary>Each input takes one stream's features over the window, [1, window, featureDim of the stream].</summary>
    public required IReadOnlyList<FeatureInputSpec> Inputs { get; init; }
    public required IReadOnlyList<TensorSpec> Outputs { get; init; }
    public required int Window { get; init; }

    /// <summary>Version 1 only (version 2 states it at the top level).</summary>
    public int? ClipSpacingFrames { get; init; }

    /// <summary>Version 1 only (version 2 states it per stream).</summary>
    public int? FeatureDim { get; init; }

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

    /// <summary>K values that already are class probabilities (a softmax inside the model): level = argmax, no second softmax.</summary>
    public const string ClassProbabilities = "classProbabilities";

    /// <summary>A nominal or ordinal class output (K values per position, one per class label); the others hold one value.</summary>
    public static bool IsClass(string kind) => kind is ClassLogits or ClassProbabilities;

    /// <summary>The kinds a manifest may name, for error messages.</summary>
    public static string Names => $"{Regression}, {Probability}, {ClassLogits}, {ClassProbabilities}";
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
    /// <summary>A stream name (its backbone; in version 1 a modality name), <c>fusion</c>, or <c>imagine.&lt;stream&gt;</c>.</summary>
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
