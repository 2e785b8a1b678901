using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeEmotion.EdgeAgent.Cli;

// Machine-readable (--json) shapes of the CLI's reports. Field names are part of the CLI's
// contract with fleet scripts: add fields, do not rename them.

internal sealed record PackErrorReport(string Kind, string Location, string Message);

/// <param name="Precision">fp16 or fp32: the precision the provider ran in, which picks <paramref name="Tolerance"/>.</param>
/// <param name="Engine">On TensorRT: built, found, cache-off or no-engine; null on other providers.</param>
internal sealed record ModelReport(
    string Model,
    string File,
    string Provider,
    string Precision,
    double? MaxAbsError,
    double Tolerance,
    bool Passed,
    string? Problem,
    string? Engine);

/// <param name="Layout">What the pack is made of (streams, fusion, score layouts); null when it did not load.</param>
internal sealed record VerifyReport(
    string Pack,
    string? Id,
    string? Version,
    string? Task,
    bool Ok,
    int FilesVerified,
    IReadOnlyList<ModelReport> Models,
    PackErrorReport? Error,
    PackLayoutReport? Layout = null);

/// <param name="Engine">built, found, cache-off or no-engine on TensorRT; null on other providers.</param>
/// <param name="CacheFolder">The keyed engine cache folder (absolute); null when the model is not on TensorRT or the cache is off.</param>
internal sealed record WarmupModelReport(int Index, string Model, string File, string Provider, string Precision, string? Engine, string? CacheFolder, double Seconds);

/// <param name="CacheRoot">The TensorRT cache root (&lt;cache dir&gt;/tensorrt).</param>
/// <param name="Removed">Stale cache folders removed after the warm-up.</param>
/// <param name="CleanSkipped">Why the cache was not cleaned (no TensorRT here, say); null when it was.</param>
internal sealed record WarmupReport(
    string Pack,
    string? Id,
    string? Version,
    bool Ok,
    string CacheRoot,
    IReadOnlyList<WarmupModelReport> Models,
    IReadOnlyList<string> Removed,
    string? CleanSkipped,
    PackErrorReport? Error);

internal sealed record PackListEntry(string Directory, string? Id, string? Version, string? Task, IReadOnlyList<string> Modalities, long Bytes, PackErrorReport? Error, string? Role = null);

/// <summary>Why an install or rollback was refused: <c>check</c> is signature, entry path, size, sha256, truncated, downgrade, self-test, ...</summary>
internal sealed record OtaRefusal(string Check, string Message);

internal sealed record InstallReport(bool Ok, string? Id, string? Version, string? Active, string? Previous, IReadOnlyList<ModelReport> Models, OtaRefusal? Refusal);

internal sealed record BenchModelReport(
    string Model,
    string Provider,
    int Iterations,
    double MedianMs,
    double P95Ms,
    double MeanMs,
    double BareMedianMs,
    double BareMeanMs,
    double OverheadPercent,
    long AllocatedBytesPerRun,
    long BareAllocatedBytesPerRun);

/// <summary><c>edgeemo bench --json</c>: the per-model section (camelCase, as before) and the streaming section (snake_case).</summary>
internal sealed record BenchReport(
    string Pack,
    string OrtVersion,
    int ProcessorCount,
    IReadOnlyList<BenchModelReport> Models,
    EdgeEmotion.EdgeAgent.Benchmarks.StreamBenchReport? Streaming,
    [property: System.Text.Json.Serialization.JsonPropertyName("face_stage")] EdgeEmotion.EdgeAgent.Benchmarks.FaceStageReport? FaceStage = null);

internal sealed record CalibrateEdaReport(
    bool Ok,
    string Device,
    string? File,
    string? Refusal,
    double? SupplyVolts,
    double? ReferenceOhms,
    double? OpenCircuitVolts,
    double? MaxErrorPercent,
    IReadOnlyList<EdgeEmotion.Sensors.Eda.EdaCalibrationPoint> Points);

/// <param name="Frames">Frames the video decoded: the frames labels must match.</param>
/// <param name="Smoothing">Per output, the centred moving-average window (frames) applied; null without --smooth.</param>
internal sealed record EvaluateReport(
    string Pack,
    string Video,
    string Labels,
    double FrameRate,
    int Frames,
    int LabelLines,
    int Outputs,
    IReadOnlyDictionary<string, int>? Smoothing,
    IReadOnlyList<EdgeEmotion.EdgeAgent.Evaluation.AssignmentFigures> Assignments);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(VerifyReport))]
[JsonSerializable(typeof(WarmupReport))]
[JsonSerializable(typeof(IReadOnlyList<PackListEntry>))]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(EdgeEmotion.EdgeAgent.Benchmarks.SoakReport))]
[JsonSerializable(typeof(DevicesReport))]
[JsonSerializable(typeof(CalibrateEdaReport))]
[JsonSerializable(typeof(InstallReport))]
[JsonSerializable(typeof(EvaluateReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
