namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>
/// How one pack output did against its labels under one assignment. Continuous outputs carry the
/// CCC (null with <see cref="CccUndefined"/> when undefined, never NaN) and the means and
/// standard deviations it came from; level outputs carry accuracy and mean absolute error.
/// </summary>
/// <param name="Frames">Frames scored: a label and a prediction.</param>
/// <param name="Unlabelled">Frames whose label was -5 (or -1 for a level), or past the end of the labels.</param>
/// <param name="NoPrediction">Labelled frames without a prediction: before the first output, or no-signal.</param>
/// <param name="SmoothingFrames">The centred moving-average window applied, null when not smoothed.</param>
public sealed record OutputFigures(
    string Output,
    string Kind,
    int Frames,
    int Unlabelled,
    int NoPrediction,
    int? SmoothingFrames,
    double? Ccc,
    string? CccUndefined,
    double? PredictionMean,
    double? PredictionStd,
    double? LabelMean,
    double? LabelStd,
    double? Accuracy,
    double? MeanAbsoluteError,
    BinaryFigures? Binary);

/// <summary>A probability output read as a yes/no (>= 0.5) against a level label read as level > 0.</summary>
public sealed record BinaryFigures(string Output, int Frames, double? Accuracy);

/// <summary>Every output's figures under one assignment, with the frames it could not use.</summary>
public sealed record AssignmentFigures(string Assignment, int FramesBeforeFirstOutput, int FramesNoSignal, IReadOnlyList<OutputFigures> Outputs);
