using System.Text.Json.Serialization;
using EdgeEmotion.Runtime.Faces;

namespace EdgeEmotion.EdgeAgent.Cli;

// The lines of `edgeemo faces --json`: one FaceFrameReport per frame, then one FacesSummaryReport.
// Field names are part of the CLI's contract: add fields, do not rename them.

internal sealed record BoxReport(double X, double Y, double Width, double Height);

internal sealed record PoseReport(double Yaw, double Pitch, double Roll);

/// <param name="FaceSize">The smaller side of the face's box, pixels.</param>
internal sealed record QualityReport(double Score, double FaceSize, double AbsYaw);

internal sealed record TimingReport(double Detect, double Landmarks, double Align);

/// <param name="Time">Seconds into the video.</param>
/// <param name="Detections">Faces the detector found in this frame (the followed one among them, or not when it was missed).</param>
/// <param name="Detected">False when the detector missed the followed face and the tracker held its last box.</param>
/// <param name="Landmarks">The 68 points as [x, y] pixel pairs (iBUG 300-W order).</param>
/// <param name="Reason">Null when usable; else "no face", "face too small" or "face turned away".</param>
internal sealed record FaceFrameReport(
    long Frame,
    double Time,
    int Detections,
    bool Face,
    bool Detected,
    BoxReport? Box,
    double? Score,
    IReadOnlyList<double[]>? Landmarks,
    PoseReport? Pose,
    QualityReport? Quality,
    bool Usable,
    string? Reason,
    TimingReport Ms)
{
    public static FaceFrameReport From(long index, TimeSpan time, FaceFrame frame)
    {
        var face = frame.Face;
        var box = face?.Track.Detection.Box;
        return new FaceFrameReport(
            index,
            Math.Round(time.TotalSeconds, 4),
            frame.Detections.Count,
            face is not null,
            face?.Track.Detected ?? false,
            box is { } b ? new BoxReport(R(b.X), R(b.Y), R(b.Width), R(b.Height)) : null,
            face is null ? null : Math.Round(face.Track.Detection.Score, 4),
            face?.Landmarks.Points.Select(p => new[] { R(p.X), R(p.Y) }).ToList(),
            face is null ? null : new PoseReport(R(face.Pose.Yaw), R(face.Pose.Pitch), R(face.Pose.Roll)),
            face is null ? null : new QualityReport(Math.Round(face.Quality.DetectorScore, 4), R(face.Quality.FaceSize), R(face.Quality.AbsYaw)),
            frame.Usable,
            frame.Reason,
            new TimingReport(Math.Round(frame.Timings.DetectMs, 3), Math.Round(frame.Timings.LandmarkMs, 3), Math.Round(frame.Timings.AlignMs, 3)));
    }

    private static double R(double value) => Math.Round(value, 2);
}

/// <param name="FacePercent">Frames with a followed face, percent of all frames.</param>
/// <param name="Reasons">Frames per reason a face was not usable.</param>
/// <param name="MeanMs">Mean detect ms over all frames; landmarks and align over the frames with a face.</param>
/// <param name="EndedEarly">The video ended before its stated frame count (truncated or corrupt).</param>
internal sealed record FacesSummaryReport(
    string Video,
    long Frames,
    long FramesWithFace,
    long FramesDetected,
    long FramesUsable,
    double FacePercent,
    IReadOnlyDictionary<string, long> Reasons,
    TimingReport MeanMs,
    string? Annotated,
    bool EndedEarly);

/// <summary>The summary line, wrapped so a reader of the JSON lines can tell it from a frame.</summary>
internal sealed record FacesSummaryLine(FacesSummaryReport Summary);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FaceFrameReport))]
[JsonSerializable(typeof(FacesSummaryLine))]
internal sealed partial class FacesJsonContext : JsonSerializerContext;
