using System.Diagnostics;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Streaming;
using OpenCvSharp;

namespace EdgeEmotion.EdgeAgent.Benchmarks;

/// <summary>What the face-stage benchmark runs on and with.</summary>
internal sealed record FaceStageOptions
{
    /// <summary>face-api's models (models/face); a missing folder is reported and only Haar is measured.</summary>
    public required string FaceModelsFolder { get; init; }

    /// <summary>The tracked variant runs the detector on one used frame in this many.</summary>
    public int DetectEvery { get; init; } = FaceStageBenchmark.DefaultDetectEvery;

    public int WarmupOutputs { get; init; }

    public int Outputs { get; init; } = 1;
}

/// <summary>
/// The face stage of each front end side by side, on the same frames, and only on the frames a
/// clip uses (as the pipeline's <c>VideoTrack</c> does): the Haar cascade and box crop
/// (<see cref="FaceCropper"/>, the pipeline's today), face-api's TinyFaceDetector, 68 landmarks
/// and alignment (<see cref="FaceFrontEnd"/>) detecting on every used frame, and the same
/// detecting on every Nth used frame with the box held between (<see cref="HeldBoxFaceStage"/>).
/// </summary>
internal static class FaceStageBenchmark
{
    /// <summary>
    /// Detect on every 2nd used frame: it halves the detector runs (about 45 % of the stage when
    /// detecting on every used frame), while the landmark net, re-run on the held box every frame,
    /// absorbs the box's offset (face.mp4 at hop 32: held-box IoU median 0.95, landmarks within
    /// 1.5 px at the 95th percentile). Every 4th drifts twice as far for little more saving.
    /// docs/performance.md has the figures.
    /// </summary>
    public const int DefaultDetectEvery = 2;

    private static readonly string[] StageNames = ["detect", "landmarks", "align", "total"];

    /// <param name="streaming">The streaming run on the same frames, for the derived real-time factors; null when the frames differ.</param>
    public static FaceStageReport Run(
        PackManifest manifest, ClipSchedule schedule, IFaceBenchFrames frames, ModelSessionFactory factory, FaceStageOptions options,
        StreamBenchReport? streaming, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Outputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DetectEvery, 1);
        var clock = PackSources.FrameClock(manifest);
        var schedules = manifest.Streams
            .Where(s => s.Recipe == StreamRecipes.FaceClip && s.Modality.Kind == ModalityKinds.Video)
            .Select(s => new ClipSchedule(schedule.FrameRate, schedule.Hop, s.Spec.FaceClip!.ClipFrames, s.Spec.FaceClip.Dilation))
            .ToArray();

        FaceModels? models = null;
        string? problem = null;
        try
        {
            models = FaceModels.Open(options.FaceModelsFolder, factory);
        }
        catch (ModelPackException e)
        {
            problem = e.Message;
        }

        try
        {
            using var cropper = new FaceCropper(clock);
            var runs = new List<FrontEndRun> { new HaarRun(cropper, options.Outputs) };
            EveryFrameRun? everyFrame = null;
            HeldRun? held = null;
            if (models is not null)
            {
                runs.Add(everyFrame = new EveryFrameRun(new FaceFrontEnd(models), options.Outputs));
                if (options.DetectEvery > 1)
                {
                    runs.Add(held = new HeldRun(new HeldBoxFaceStage(models, options.DetectEvery), options.Outputs));
                }
            }

            var drift = new DriftRecorder();
            var measured = 0;
            var usedFrames = 0L;
            var frameCount = 0L;
            long slot = 0;
            for (var output = 0L; measured < options.Outputs; output++)
            {
                var timed = output >= options.WarmupOutputs;
                var outputUsed = 0;
                for (; slot <= schedule.EndSlot(output); slot++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!schedules.Any(s => s.IsUsed(slot)))
                    {
                        continue;
                    }

                    using var frame = frames.Frame(slot);
                    if (frame is null)
                    {
                        return Finish();
                    }

                    // The front ends take turns going first, so none gains or loses from what ran just before it.
                    for (var i = 0; i < runs.Count; i++)
                    {
                        runs[(int)((i + frameCount) % runs.Count)].Process(frame, cancellationToken);
                    }

                    frameCount++;
                    outputUsed++;

                    if (timed && held is not null && everyFrame is not null)
                    {
                        drift.Compare(held.Last, everyFrame.Last);
                    }
                }

                foreach (var run in runs)
                {
                    run.EndOutput(timed);
                }

                if (timed)
                {
                    usedFrames += outputUsed;
                    measured++;
                }
            }

            return Finish();

            FaceStageReport Finish()
            {
                if (measured == 0)
                {
                    throw new InvalidDataException($"the face frames ({frames.Description}) ended before the first measured output");
                }

                var reports = runs.Select(r => r.Report(measured, streaming)).ToList();
                FaceTrackingReport? tracking = null;
                if (held is not null && everyFrame is not null)
                {
                    var saved = reports[1].Stages["total"].MeanMs - reports[2].Stages["total"].MeanMs;
                    tracking = drift.Report(options.DetectEvery, saved);
                }

                return new FaceStageReport(
                    frames.Description,
                    schedule.Hop,
                    schedule.FrameRate,
                    options.WarmupOutputs,
                    measured,
                    (double)usedFrames / measured,
                    options.FaceModelsFolder,
                    problem,
                    reports,
                    tracking);
            }
        }
        finally
        {
            models?.Dispose();
        }
    }

    /// <summary>One front end's per-output sums of its per-frame stage times.</summary>
    private abstract class FrontEndRun(string name, string description, int outputs)
    {
        private readonly StageRecorder recorder = new(StageNames, outputs);
        private FaceTimings sum;
        private int detections;
        private int framesSeen;
        private int found;
        private long timedDetections;
        private long timedFrames;
        private long timedFound;

        public abstract void Process(Mat frame, CancellationToken cancellationToken);

        protected void Add(FaceTimings timings, bool detected, bool faceFound)
        {
            sum = new FaceTimings(sum.DetectMs + timings.DetectMs, sum.LandmarkMs + timings.LandmarkMs, sum.AlignMs + timings.AlignMs);
            detections += detected ? 1 : 0;
            framesSeen++;
            found += faceFound ? 1 : 0;
        }

        public void EndOutput(bool timed)
        {
            if (timed)
            {
                recorder.Set(0, sum.DetectMs);
                recorder.Set(1, sum.LandmarkMs);
                recorder.Set(2, sum.AlignMs);
                recorder.Set(3, sum.DetectMs + sum.LandmarkMs + sum.AlignMs);
                recorder.Commit();
                timedDetections += detections;
                timedFrames += framesSeen;
                timedFound += found;
            }

            sum = default;
            detections = framesSeen = found = 0;
        }

        public FaceFrontEndReport Report(int outputs, StreamBenchReport? streaming)
        {
            var stages = recorder.Summarize();
            double? derived = null;
            if (streaming is not null && streaming.Stages.TryGetValue("face_detection", out var pipelineFace) && streaming.Outputs > 0)
            {
                var mediaMs = streaming.MediaSeconds * 1000 / streaming.Outputs;
                var computeMs = streaming.ComputeSeconds * 1000 / streaming.Outputs;
                derived = Math.Round(mediaMs / (computeMs - pipelineFace.MeanMs + stages["total"].MeanMs), 2);
            }

            return new FaceFrontEndReport(
                name,
                description,
                Math.Round((double)timedDetections / outputs, 3),
                Math.Round((double)timedFrames / outputs, 3),
                timedFrames == 0 ? 0 : Math.Round(100.0 * timedFound / timedFrames, 1),
                stages,
                derived);
        }
    }

    private sealed class HaarRun(FaceCropper cropper, int outputs)
        : FrontEndRun("haar", "Haar cascade + box crop (FaceCropper; align = crop, resize, normalise)", outputs)
    {
        private readonly float[] crop = new float[cropper.Normalizer.PlaneLength * 3];

        public override void Process(Mat frame, CancellationToken cancellationToken)
        {
            var before = cropper.DetectionTime;
            var start = Stopwatch.GetTimestamp();
            var status = cropper.Crop(frame, crop);
            var totalMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var detectMs = (cropper.DetectionTime - before).TotalMilliseconds;
            Add(new FaceTimings(detectMs, 0, Math.Max(0, totalMs - detectMs)), true, status != FaceCropStatus.NoFace);
        }
    }

    private sealed class EveryFrameRun(FaceFrontEnd frontEnd, int outputs)
        : FrontEndRun("tiny_face_detector", "face-api TinyFaceDetector 320 + 68 landmarks + 5-point alignment, detecting on every used frame", outputs)
    {
        public FaceFrame? Last { get; private set; }

        public override void Process(Mat frame, CancellationToken cancellationToken)
        {
            Last = frontEnd.Process(MatImage.View(frame), cancellationToken);
            Add(Last.Timings, true, Last.Face is not null);
        }
    }

    private sealed class HeldRun(HeldBoxFaceStage stage, int outputs)
        : FrontEndRun(
            $"tiny_face_detector_every_{stage.DetectEvery}",
            $"the same, detecting on every {stage.DetectEvery}th used frame and holding the tracked box between",
            outputs)
    {
        public FaceStageFrame Last { get; private set; }

        public override void Process(Mat frame, CancellationToken cancellationToken)
        {
            Last = stage.Process(MatImage.View(frame), cancellationToken);
            Add(Last.Timings, Last.Detected, Last.Box is not null);
        }
    }

    /// <summary>On frames where the tracked variant held its box: IoU and landmark shift against detecting on that frame.</summary>
    private sealed class DriftRecorder
    {
        private readonly List<double> ious = [];
        private readonly List<double> shifts = [];
        private readonly List<double> relativeShifts = [];
        private int held;

        public void Compare(FaceStageFrame tracked, FaceFrame? reference)
        {
            if (tracked.Detected || tracked.Box is not { } box || tracked.Landmarks is not { } landmarks)
            {
                return;
            }

            held++;
            if (reference?.Face is not { } face)
            {
                return;
            }

            var referenceBox = face.Track.Detection.Box;
            ious.Add(box.Iou(referenceBox));
            var total = 0.0;
            for (var i = 0; i < FaceLandmarks68.Count; i++)
            {
                var a = landmarks.Points[i];
                var b = face.Landmarks.Points[i];
                total += Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
            }

            var shift = total / FaceLandmarks68.Count;
            shifts.Add(shift);
            relativeShifts.Add(100 * shift / Math.Max(1, Math.Min(referenceBox.Width, referenceBox.Height)));
        }

        public FaceTrackingReport Report(int detectEvery, double savedMs)
        {
            double? Q(List<double> values, double q) => values.Count == 0 ? null : Math.Round(Percentiles.Of(values.ToArray(), q), 3);
            return new FaceTrackingReport(
                detectEvery,
                held,
                Math.Round(savedMs, 3),
                Q(ious, 0.5),
                Q(ious, 0.05),
                Q(ious, 0),
                Q(shifts, 0.5),
                Q(shifts, 0.95),
                Q(relativeShifts, 0.95));
        }
    }
}
