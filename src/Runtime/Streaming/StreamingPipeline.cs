using System.Diagnostics;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// Causal streaming scoring. Samples go in with <c>Push</c> in timestamp order (timestamps
/// relative to the run's origin); <see cref="TryAdvance"/> declares that every source has passed a
/// time, and returns one <see cref="ScoreOutput"/> for each clip that ended by then, one per call. Each clip's
/// backbone runs once per modality; the fusion head runs once per clip over the last
/// <c>window</c> clips spaced as in training. Not thread-safe: one caller drives it.
/// </summary>
public sealed partial class StreamingPipeline : IDisposable
{
    private readonly PackSessions sessions;
    private readonly PackManifest manifest;
    private readonly StreamingOptions options;
    private readonly ILogger logger;
    private readonly ClipSchedule schedule;
    private readonly IModalityTrack[] tracks;
    private readonly ModalitySpec[] modalities;
    private readonly FeatureHistory[] histories;
    private readonly LastGood?[] lastGood;
    private readonly float[]?[] substitutes;
    private readonly ModelSession[] backbones;
    private readonly int[] fusionSources;
    private readonly long[] backboneRuns;
    private readonly long[] substituteRuns;
    private readonly long[] pushTicks;
    private readonly int videoIndex = -1;
    private readonly int audioIndex = -1;
    private readonly int edaIndex = -1;
    private readonly int clipStride;
    private readonly ScorePostProcessor post;
    private readonly VideoTrack? video;
    private readonly AudioTrack? audio;
    private readonly EdaTrack? eda;
    private long nextClip;
    private long fusionRuns;
    private long noSignal;
    private TimeSpan detectionReported;
    private long nonFiniteOutputs;
    private long lastNonFinite = -2;

    /// <param name="edaInputSampleRate">The EDA source's rate (its filter is designed for it); required when the pack has EDA.</param>
    public StreamingPipeline(PackSessions sessions, StreamingOptions options, ILogger<StreamingPipeline> logger,
        FaceCropOptions? faceOptions = null, double? edaInputSampleRate = null)
    {
        this.sessions = sessions;
        manifest = sessions.Pack.Manifest;
        options.Validate(manifest);
        this.options = options;
        this.logger = logger;

        var visual = manifest.Modalities.FirstOrDefault(m => m.Kind == ModalityKinds.Video)
            ?? throw new ArgumentException($"pack {manifest.Id} has no video modality to define the frame clock");
        var videoSpec = visual.Video!;
        var hop = options.Hop ?? manifest.ClipSpacing;
        schedule = new ClipSchedule(videoSpec.FrameRate, hop, videoSpec.ClipFrames, videoSpec.Dilation);
        clipStride = manifest.ClipSpacing / hop;

        modalities = [.. manifest.Modalities];
        tracks = new IModalityTrack[modalities.Length];
        try
        {
            for (var i = 0; i < modalities.Length; i++)
            {
                var m = modalities[i];
                switch (m.Kind)
                {
                    case ModalityKinds.Video:
                        videoIndex = i;
                        break;
                    case ModalityKinds.Audio:
                        audioIndex = i;
                        break;
                    case ModalityKinds.Eda:
                        edaIndex = i;
                        break;
                }

                tracks[i] = m.Kind switch
                {
                    ModalityKinds.Video => video = new VideoTrack(m.Name, m.Video!, schedule, options, new FaceCropper(m.Video!, faceOptions ?? new FaceCropOptions())),
                    ModalityKinds.Audio => audio = new AudioTrack(m.Name, m.Audio!, options),
                    ModalityKinds.Eda => eda = new EdaTrack(m.Name, m.Eda!, m.Missing,
                        edaInputSampleRate ?? throw new ArgumentException($"pack {manifest.Id} takes EDA: the EDA source's sample rate is needed"), options),
                    _ => throw new ArgumentException($"modality kind '{m.Kind}' is not supported"),
                };
            }
        }
        catch
        {
            foreach (var track in tracks.OfType<IModalityTrack>())
            {
                track.Dispose();
            }

            throw;
        }

        var historyLength = ((manifest.Window - 1) * clipStride) + 1;
        histories = modalities.Select(_ => new FeatureHistory(historyLength, manifest.Fusion!.FeatureDim!.Value)).ToArray();
        lastGood = new LastGood?[modalities.Length];
        substitutes = new float[]?[modalities.Length];
        backbones = modalities.Select(m => sessions.Backbones[m.Name]).ToArray();
        fusionSources = manifest.Fusion!.Inputs.Select(input => Array.FindIndex(modalities, m => m.Name == input.Source)).ToArray();
        backboneRuns = new long[modalities.Length];
        substituteRuns = new long[modalities.Length];
        pushTicks = new long[modalities.Length];
        post = new ScorePostProcessor(manifest, options.Smooth ? hop : null);
        LogStarted(manifest.Id, hop, clipStride, manifest.Window);
    }

    public ClipSchedule Schedule => schedule;

    public PipelineCounters Counters => new(
        nextClip,
        fusionRuns,
        modalities.Select((m, i) => (m.Name, backboneRuns[i])).ToDictionary(p => p.Name, p => p.Item2),
        modalities.Select((m, i) => (m.Name, substituteRuns[i])).ToDictionary(p => p.Name, p => p.Item2),
        video?.FramesReceived ?? 0,
        video?.SlotsFinalized ?? 0,
        video?.FaceDetections ?? 0,
        noSignal);

    /// <summary>What the pipeline holds between clips; every one stays bounded however long it runs (the soak checks).</summary>
    public PipelineDepths Depths => new(
        video?.SlotsHeld ?? 0,
        video?.PooledCrops ?? 0,
        histories.Sum(h => h.Count),
        post.SmoothingValues);

    // Work done on arrival (frozen-frame check, face detection and crop, resampling, EDA
    // filtering) is timed here and charged to the next output, so its latency shows all of it.

    /// <summary>Takes ownership of the frame.</summary>
    public void Push(VideoFrame frame)
    {
        if (video is null)
        {
            frame.Dispose();
            return;
        }

        var start = Stopwatch.GetTimestamp();
        video.Push(frame);
        pushTicks[videoIndex] += Stopwatch.GetTimestamp() - start;
    }

    /// <summary>Takes ownership of the block: its samples are copied, then it is disposed (back to its pool).</summary>
    public void Push(AudioBlock block)
    {
        using var owned = block;
        if (audio is not null)
        {
            var start = Stopwatch.GetTimestamp();
            audio.Push(block);
            pushTicks[audioIndex] += Stopwatch.GetTimestamp() - start;
        }
    }

    public void Push(EdaSample sample)
    {
        if (eda is not null)
        {
            var start = Stopwatch.GetTimestamp();
            eda.Push(sample);
            pushTicks[edaIndex] += Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>A source ended or failed: its modality is missing from here on, for this reason.</summary>
    public void MarkEnded(string modalityKind, string reason)
    {
        IModalityTrack? track = modalityKind switch
        {
            ModalityKinds.Video => video,
            ModalityKinds.Audio => audio,
            ModalityKinds.Eda => eda,
            _ => null,
        };
        track?.MarkEnded(reason);
    }

    /// <summary>
    /// Scores the next clip if it ended at or before <paramref name="time"/>; call until false to
    /// score every such clip. One output at a time, so a long stretch without data (a time jump
    /// in a file, a device that slept) costs no memory however many clips it spans.
    /// </summary>
    public bool TryAdvance(TimeSpan time, out ScoreOutput output, CancellationToken cancellationToken = default)
    {
        if (schedule.EndTime(nextClip) > time)
        {
            output = null!;
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        output = ScoreClip(nextClip, cancellationToken);
        nextClip++;
        return true;
    }

    private ScoreOutput ScoreClip(long clip, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var arrivals = 0L;
        var end = schedule.EndTime(clip);
        var reports = new Dictionary<string, ModalityReport>(modalities.Length, StringComparer.Ordinal);
        var preprocessMs = new Dictionary<string, double>(modalities.Length, StringComparer.Ordinal);
        var backboneMs = new Dictionary<string, double>(modalities.Length, StringComparer.Ordinal);
        var anyData = false;
        for (var i = 0; i < modalities.Length; i++)
        {
            var name = modalities[i].Name;
            var backbone = backbones[i];
            var feature = histories[i].Store(clip);

            var stage = Stopwatch.GetTimestamp();
            var reason = tracks[i].Prepare(clip, end, backbone.Input(0));
            var prepared = Stopwatch.GetTimestamp();
            preprocessMs[name] = Stopwatch.GetElapsedTime(stage, prepared + pushTicks[i]).TotalMilliseconds;
            arrivals += pushTicks[i];
            pushTicks[i] = 0;
            if (reason is null)
            {
                backbone.Run(cancellationToken);
                backboneRuns[i]++;
                backbone.Output(0).CopyTo(feature);
                var good = lastGood[i] ??= new LastGood(new float[feature.Length]);
                feature.CopyTo(good.Feature);
                good.End = end;
                reports[name] = ModalityReport.Ok;
                anyData = true;
            }
            else if (options.For(name).Policy == MissingPolicy.Hold
                     && lastGood[i] is { } held
                     && end - held.End <= options.For(name).MaxHold)
            {
                held.Feature.CopyTo(feature);
                reports[name] = new ModalityReport(ModalityState.Held, reason, end - held.End);
                anyData = true;
            }
            else
            {
                Substitute(i, cancellationToken).CopyTo(feature);
                reports[name] = new ModalityReport(ModalityState.Substituted, reason);
            }

            backboneMs[name] = Stopwatch.GetElapsedTime(prepared).TotalMilliseconds;
        }

        // Face detection ran inside the visual preprocessing (mostly as frames arrived): report it
        // as its own stage and take it out of the preprocessing figure.
        var detectionMs = 0.0;
        if (video is not null)
        {
            var detection = video.DetectionTime;
            detectionMs = (detection - detectionReported).TotalMilliseconds;
            detectionReported = detection;
            var visual = modalities[videoIndex].Name;
            preprocessMs[visual] = Math.Max(0, preprocessMs[visual] - detectionMs);
        }

        IReadOnlyList<ScoreValue>? scores = null;
        var fusionMs = 0.0;
        if (anyData)
        {
            var stage = Stopwatch.GetTimestamp();
            RunFusion(clip, cancellationToken);
            scores = post.Process(sessions.Scores);
            fusionMs = Stopwatch.GetElapsedTime(stage).TotalMilliseconds;
            if (scores is null)
            {
                noSignal++;
                nonFiniteOutputs++;
                if (nonFiniteOutputs == 1 || lastNonFinite != clip - 1)
                {
                    LogNonFiniteOutput(clip);
                }

                lastNonFinite = clip;
            }
        }
        else
        {
            noSignal++;
            post.Skip();
        }

        var totalMs = Stopwatch.GetElapsedTime(started, Stopwatch.GetTimestamp() + arrivals).TotalMilliseconds;
        return new ScoreOutput(clip, end, scores, reports,
            new StageLatency(preprocessMs, backboneMs, fusionMs, totalMs) { FaceDetectionMs = detectionMs });
    }

    // The fusion window: the newest clip and the window-1 before it, clipStride clips apart.
    // Until the window has filled, the stream's first clip of that spacing stands in for the
    // positions before the stream began.
    private void RunFusion(long clip, CancellationToken cancellationToken)
    {
        var fusion = sessions.Fusion!;
        var window = manifest.Window;
        var dim = manifest.Fusion!.FeatureDim!.Value;
        var earliest = clip % clipStride;
        for (var index = 0; index < fusionSources.Length; index++)
        {
            var history = histories[fusionSources[index]];
            var destination = fusion.Input(index);
            for (var position = 0; position < window; position++)
            {
                var source = Math.Max(earliest, clip - ((long)(window - 1 - position) * clipStride));
                history.Get(source).CopyTo(destination.Slice(position * dim, dim));
            }
        }

        fusion.Run(cancellationToken);
        fusionRuns++;
    }

    // The backbone's answer to black frames / silence / neutral EDA is the same every time:
    // compute it once per pipeline.
    private float[] Substitute(int modality, CancellationToken cancellationToken)
    {
        if (substitutes[modality] is { } cached)
        {
            return cached;
        }

        var backbone = backbones[modality];
        tracks[modality].WriteSubstitute(backbone.Input(0));
        backbone.Run(cancellationToken);
        substituteRuns[modality]++;
        return substitutes[modality] = backbone.Output(0).ToArray();
    }

    public void Dispose()
    {
        foreach (var track in tracks)
        {
            track.Dispose();
        }
    }

    /// <summary>A modality's newest clip of its own data, kept for the hold policy.</summary>
    private sealed class LastGood(float[] feature)
    {
        public float[] Feature { get; } = feature;

        public TimeSpan End { get; set; }
    }

    // Once per run of such clips, not per clip.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The fusion head gave a value that is not a finite number at clip {Clip}; such outputs carry no scores (no-signal)")]
    private partial void LogNonFiniteOutput(long clip);

    [LoggerMessage(Level = LogLevel.Information, Message = "Streaming pack {Pack}: hop {Hop} frames, fusion window {Window} clips {Stride} apart")]
    private partial void LogStarted(string pack, int hop, int stride, int window);
}
