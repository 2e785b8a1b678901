using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Sources;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Replay;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>edgeemo faces --video FILE | --camera csi[:N]|/dev/videoN [--frames N] [--json] [--annotate OUT] [--models DIR]</c>: the face front end
/// (<see cref="FaceFrontEnd"/>) on every frame of a video: the followed face's box, score, 68
/// landmarks, head pose and aligned crop quality, or why there is none, then a summary. So a
/// technician can check camera placement and a reviewer can see what the detector saw.
/// </summary>
internal static class FacesCommand
{
    public static Command Create()
    {
        var video = new Option<string?>("--video") { Description = "Video file (any format FFmpeg reads)" };
        var camera = new Option<string?>("--camera") { Description = "A camera instead of a file: csi (csi:N for sensor N, through Argus) or a V4L2 device such as /dev/video0; 1280x720 at 30 fps" };
        var maxFrames = new Option<long?>("--frames") { Description = "Stop after this many frames (a camera runs until Ctrl-C otherwise)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per frame, then a summary object" };
        var annotate = new Option<string?>("--annotate") { Description = "Write the frames with box, landmarks and pose drawn: a .mp4 or .avi file, or a folder for numbered PNGs" };
        var models = new Option<string>("--models")
        {
            Description = "The face model folder (tiny_face_detector.onnx, face_landmark_68.onnx, golden/)",
            DefaultValueFactory = _ => Path.Combine("models", "face"),
        };
        var tiny = new Option<bool>("--tiny-landmarks") { Description = "Use the tiny 68-point landmark net (4x smaller, less exact)" };
        var inference = new InferenceArguments();
        var command = new Command("faces", "Run the face front end (detector, tracking, 68 landmarks, head pose, aligned crop) on a video, frame by frame")
        {
            video, camera, maxFrames, json, annotate, models, tiny,
        };
        inference.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var videoPath = result.GetValue(video);
            var cameraName = result.GetValue(camera);
            if ((videoPath is null) == (cameraName is null))
            {
                error.WriteLine("error: give either --video FILE or --camera csi|csi:N|/dev/videoN");
                return ExitCodes.Usage;
            }

            if (videoPath is not null && !InputFile.Check("--video", videoPath, error))
            {
                return ExitCodes.Usage;
            }

            CameraOptions? cameraOptions = null;
            if (cameraName is not null && !TryParseCamera(cameraName, out cameraOptions, out var cameraProblem))
            {
                error.WriteLine($"error: --camera {cameraName}: {cameraProblem}");
                return ExitCodes.Usage;
            }

            if (result.GetValue(maxFrames) is <= 0)
            {
                error.WriteLine($"error: --frames must be a positive number of frames, not {result.GetValue(maxFrames)}");
                return ExitCodes.Usage;
            }

            var modelFolder = result.GetValue(models)!;
            if (!Directory.Exists(modelFolder))
            {
                error.WriteLine($"error: --models folder {modelFolder} does not exist");
                return ExitCodes.Usage;
            }

            if (!inference.TryBuild(result, out var options))
            {
                return ExitCodes.Usage;
            }

            using var loggerFactory = inference.CreateLoggerFactory(result);
            try
            {
                var factory = new ModelSessionFactory(options, loggerFactory.CreateLogger<ModelSessionFactory>());
                using var faceModels = FaceModels.Open(modelFolder, factory, result.GetValue(tiny));
                var run = new FacesRun(faceModels, result.InvocationConfiguration.Output, result.GetValue(json), result.GetValue(maxFrames));
                if (videoPath is not null)
                {
                    await using var file = new VideoFileSource(videoPath);
                    var annotation = OpenAnnotation(result.GetValue(annotate), file.FrameRate, file.FrameWidth, file.FrameHeight);
                    return await run.RunAsync(file, videoPath, annotation, () => file.EndedEarly, cancellationToken).ConfigureAwait(false);
                }

                // Camera reopen and stall warnings carry exceptions: only --verbose shows them.
                var cameraLogger = result.GetValue(inference.Verbose) ? loggerFactory.CreateLogger<CameraSource>() : NullLogger<CameraSource>.Instance;
                await using var source = new CameraSource(cameraOptions!, cameraLogger);
                var cameraAnnotation = OpenAnnotation(result.GetValue(annotate), cameraOptions!.FrameRate, cameraOptions.Width, cameraOptions.Height);
                return await run.RunAsync(source, source.Description, cameraAnnotation, () => false, cancellationToken).ConfigureAwait(false);
            }
            catch (AnnotationTargetException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is ModelPackException or ExecutionProviderException or SourceException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    /// <summary>"csi", "csi:N" or a V4L2 device path; the device must exist (CameraSource would retry a missing one forever).</summary>
    internal static bool TryParseCamera(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CameraOptions? options, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        options = null;
        problem = null;
        if (name == "csi" || name.StartsWith("csi:", StringComparison.Ordinal))
        {
            var id = 0;
            if (name.Length > 3 && (!int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out id) || id > 15))
            {
                problem = "the CSI sensor index after 'csi:' must be a number 0-15";
                return false;
            }

            options = new CameraOptions { Kind = CameraKind.Csi, SensorId = id };
            return true;
        }

        if (name.StartsWith("/dev/", StringComparison.Ordinal))
        {
            if (!File.Exists(name))
            {
                problem = "no such device (edgeemo devices lists the cameras)";
                return false;
            }

            options = new CameraOptions { Kind = CameraKind.V4l2, Device = name };
            return true;
        }

        problem = "not a camera: give csi, csi:N or a V4L2 device such as /dev/video0 (a file goes to --video)";
        return false;
    }

    private static FaceAnnotationWriter? OpenAnnotation(string? target, double frameRate, int width, int height)
    {
        try
        {
            return target is null ? null : FaceAnnotationWriter.Open(target, frameRate, width, height);
        }
        catch (IOException e)
        {
            throw new AnnotationTargetException(e.Message, e);
        }
    }

    /// <summary>One video or camera through the front end, printing as it goes.</summary>
    private sealed class FacesRun(FaceModels models, TextWriter output, bool json, long? maxFrames)
    {
        public async Task<int> RunAsync(
            ISampleSource<VideoFrame> source, string name, FaceAnnotationWriter? annotation, Func<bool> endedEarly, CancellationToken cancellationToken)
        {
            try
            {
                var frontEnd = new FaceFrontEnd(models);
                long frames = 0, withFace = 0, detected = 0, usable = 0;
                double detectMs = 0, landmarkMs = 0, alignMs = 0;
                var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
                await foreach (var frame in source.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    using (frame)
                    {
                        var result = frontEnd.Process(MatImage.View(frame.Image), cancellationToken);
                        WriteFrame(frames, frame.Timestamp, result);
                        annotation?.Write(frame.Image, result);
                        frames++;
                        detectMs += result.Timings.DetectMs;
                        if (result.Face is not null)
                        {
                            withFace++;
                            detected += result.Face.Track.Detected ? 1 : 0;
                            landmarkMs += result.Timings.LandmarkMs;
                            alignMs += result.Timings.AlignMs;
                        }

                        if (result.Reason is { } reason)
                        {
                            reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                        }
                        else
                        {
                            usable++;
                        }
                    }

                    if (frames == maxFrames)
                    {
                        break;
                    }
                }

                var summary = new FacesSummaryReport(
                    name,
                    frames,
                    withFace,
                    detected,
                    usable,
                    frames == 0 ? 0 : Math.Round(100.0 * withFace / frames, 2),
                    reasons,
                    new TimingReport(
                        frames == 0 ? 0 : Math.Round(detectMs / frames, 3),
                        withFace == 0 ? 0 : Math.Round(landmarkMs / withFace, 3),
                        withFace == 0 ? 0 : Math.Round(alignMs / withFace, 3)),
                    annotation?.Target,
                    endedEarly());
                WriteSummary(summary);
                return frames == 0 ? ExitCodes.Failed : ExitCodes.Ok;
            }
            finally
            {
                annotation?.Dispose();
            }
        }

        private void WriteFrame(long index, TimeSpan time, FaceFrame frame)
        {
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(FaceFrameReport.From(index, time, frame), FacesJsonContext.Default.FaceFrameReport));
                return;
            }

            if (index == 0)
            {
                // Not before the first frame: a camera that cannot open prints only its error.
                output.WriteLine("frame   time(s)  faces  box (x, y, w, h)           score   yaw  pitch  roll  size  decision");
            }

            var face = frame.Face;
            var decision = frame.Reason ?? "ok";
            if (face is null)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{index,5}  {time.TotalSeconds,7:F3}  {frame.Detections.Count,5}  {"-",-26} {"",5}  {"",4}  {"",5}  {"",4}  {"",4}  {decision}"));
                return;
            }

            var b = face.Track.Detection.Box;
            var box = string.Create(CultureInfo.InvariantCulture, $"({b.X:F0}, {b.Y:F0}, {b.Width:F0}, {b.Height:F0})");
            var held = face.Track.Detected ? "" : " (held)";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{index,5}  {time.TotalSeconds,7:F3}  {frame.Detections.Count,5}  {box,-26} {face.Track.Detection.Score,5:F2}  {face.Pose.Yaw,4:F0}  {face.Pose.Pitch,5:F0}  {face.Pose.Roll,4:F0}  {face.Quality.FaceSize,4:F0}  {decision}{held}"));
        }

        private void WriteSummary(FacesSummaryReport summary)
        {
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new FacesSummaryLine(summary), FacesJsonContext.Default.FacesSummaryLine));
                return;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Frames} frames, face on {summary.FramesWithFace} ({summary.FacePercent:F1} %; {summary.FramesDetected} detected, {summary.FramesWithFace - summary.FramesDetected} held by tracking), usable {summary.FramesUsable}"));
            if (summary.Reasons.Count > 0)
            {
                output.WriteLine("not usable: " + string.Join(", ", summary.Reasons.Select(r => $"{r.Key} {r.Value}")));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mean ms: detect {summary.MeanMs.Detect:F2}, landmarks {summary.MeanMs.Landmarks:F2}, align {summary.MeanMs.Align:F2}"));
            if (summary.EndedEarly)
            {
                output.WriteLine("warning: the video ended before its stated frame count (truncated or corrupt)");
            }

            if (summary.Annotated is { } target)
            {
                output.WriteLine($"annotated frames: {target}");
            }
        }
    }

    /// <summary>--annotate names a place that cannot be written: a usage error, found before any frame is read.</summary>
    private sealed class AnnotationTargetException(string message, Exception inner) : Exception(message, inner);
}
