using System.Text.Json.Serialization;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

// The face-stage part of `edgeemo bench --json`: snake_case, as the streaming part.

/// <summary>One front end on the frames the clips use: per output, milliseconds by stage and what it found.</summary>
/// <param name="Stages">detect, landmarks, align (the Haar cascade's box crop), total: per output.</param>
/// <param name="DerivedRealTimeFactor">
/// The streaming run's real-time factor with this front end in place of the pipeline's face
/// detection (its compute per output, minus the pipeline's face detection, plus this total; means).
/// Derived, not measured; null when the frames are not the streaming run's.
/// </param>
internal sealed record FaceFrontEndReport(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("detections_per_output")] double DetectionsPerOutput,
    [property: JsonPropertyName("frames_per_output")] double FramesPerOutput,
    [property: JsonPropertyName("face_found_percent")] double FaceFoundPercent,
    [property: JsonPropertyName("stages")] IReadOnlyDictionary<string, StageSummary> Stages,
    [property: JsonPropertyName("derived_real_time_factor")] double? DerivedRealTimeFactor);

/// <summary>
/// What detecting every Nth used frame and holding the box between costs: on the held frames, the
/// held box and its landmarks against those of the front end that detects on every used frame.
/// </summary>
internal sealed record FaceTrackingReport(
    [property: JsonPropertyName("detect_every")] int DetectEvery,
    [property: JsonPropertyName("held_frames")] int HeldFrames,
    [property: JsonPropertyName("saved_ms_per_output")] double SavedMsPerOutput,
    [property: JsonPropertyName("iou_median")] double? IouMedian,
    [property: JsonPropertyName("iou_p05")] double? IouP05,
    [property: JsonPropertyName("iou_min")] double? IouMin,
    [property: JsonPropertyName("landmark_shift_median_px")] double? LandmarkShiftMedianPx,
    [property: JsonPropertyName("landmark_shift_p95_px")] double? LandmarkShiftP95Px,
    [property: JsonPropertyName("landmark_shift_p95_percent_of_face")] double? LandmarkShiftP95PercentOfFace);

/// <summary>
/// The face stage (detect, landmarks, align) of each front end side by side, on the same frames
/// and only on the frames a clip uses, counted per output as the pipeline counts them.
/// </summary>
/// <param name="FaceModelsProblem">Why the TinyFaceDetector front end was not measured (e.g. the folder is missing); null when it was.</param>
internal sealed record FaceStageReport(
    [property: JsonPropertyName("frames")] string Frames,
    [property: JsonPropertyName("hop_frames")] int HopFrames,
    [property: JsonPropertyName("frame_rate")] double FrameRate,
    [property: JsonPropertyName("warmup_outputs")] int WarmupOutputs,
    [property: JsonPropertyName("outputs")] int Outputs,
    [property: JsonPropertyName("used_frames_per_output")] double UsedFramesPerOutput,
    [property: JsonPropertyName("face_models")] string FaceModels,
    [property: JsonPropertyName("face_models_problem")] string? FaceModelsProblem,
    [property: JsonPropertyName("front_ends")] IReadOnlyList<FaceFrontEndReport> FrontEnds,
    [property: JsonPropertyName("tracking")] FaceTrackingReport? Tracking);
