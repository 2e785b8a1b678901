using System.Diagnostics;
using EdgeEmotion.Runtime.Faces;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Preprocessing;
using EdgeEmotion.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeEmotion.Runtime.Streaming;

/// <summary>
/// Causal streaming scoring. Samples go in with <c>Push</c> in timestamp order (timestamps
/// relative to the run's origin); <see cref="TryAdvance"/> declares that every source has passed a
/// time, and returns one <see cref="ScoreOutput"/> for each clip that ended by then, one per call.
/// Each modality's data is judged once per clip; each of its streams' backbones runs once per
/// clip; the fusion head runs once per clip over the last <c>window</c> clips spaced as in
/// training (a pack without fusion scores with its only backbone). Not thread-safe: one caller drives it.
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
    private readonly StreamState[] streams;
    private readonly StreamState[][] streamsOf;
    private readonly TimeSpan?[] lastGoodEnd;
    private readonly int[] fusionSources;
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
    /// <param name="faceModels">The agent's face models; required when the pack's face recipe names the trained detector.</param>
    public StreamingPipeline(PackSessions sessions, StreamingOptions options, ILogger<StreamingPipeline> logger,
        FaceCropOptions? faceOptions = null, double? edaInputSampleRate = null, FaceModelFolder? faceModels = null)
    {
        this.sessions = sessions;
        manifest = sessions.Pack.Manifest;
        options.Validate(manifest);
        this.options = options;
        this.logger = logger;

        var bindings = manifest.Streams;
        var clock = PackSources.FrameClock(manifest);
        var hop = options.Hop ?? manifest.ClipSpacing;
        clipStride = manifest.ClipSpacing / hop;

        modalities = [.. manifest.Modalities];
        var specsOf = modalities.Select(m => bindings.Where(b => b.Modality == m).Select(b => b.Spec).ToList()).ToArray();

        // The clock's stream is the video modality's first: its frame picks are the schedule's.
        schedule = new ClipSchedule(clock.FrameRate, hop, clock.ClipFrames, clock.Dilation);

        tracks = new IModalityTrack[modalities.Length];
        try
        {
            for (var i = 0; i < modalities.Length; i++)
            {
                var m = modalities[i];
                var specs = specsOf[i];
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
                    ModalityKinds.Video => video = new VideoTrack(m.Name, specs, schedule, options, FaceCroppers.Create(manifest.Id, specs[0].FaceClip!, faceOptions, faceModels)),
                    ModalityKinds.Audio => audio = new AudioTrack(m.Name, specs, options),
                    ModalityKinds.Eda => eda = new EdaTrack(m.Name, specs, m.Missing,
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

        // Features are kept for the clips a fusion window can still reach; without fusion there are none.
        var historyLength = ((manifest.Window - 1) * clipStride) + 1;
        var names = bindings.Select(b => b.Name).ToList();
        streams = [.. bindings.Select(b =>
        {
            var modality = Array.IndexOf(modalities, b.Modality);
            var imagination = b.Spec.Imagination;
            return new StreamState(b, modality, specsOf[modality].IndexOf(b.Spec), sessions.Backbones[b.Name],
                manifest.Fusion is null ? null : new FeatureHistory(historyLength, b.FeatureDim!.Value))
            {
                Imagination = imagination is null ? null : sessions.Imaginations[b.Name],
                ImaginationSources = imagination is null ? [] : [.. imagination.Inputs.Select(input => names.IndexOf(input.Source))],
            };
        })];
        streamsOf = [.. modalities.Select((_, i) => streams.Where(s => s.Modality == i).ToArray())];
        lastGoodEnd = new TimeSpan?[modalities.Length];
        fusionSources = manifest.Fusion is { } fusion ? [.. fusion.Inputs.Select(input => names.IndexOf(input.Source))] : [];
        pushTicks = new long[modalities.Length];
        post = new ScorePostProcessor(manifest, options.Smooth ? hop : null);
        LogStarted(manifest.Id, hop, clipStride, manifest.Window);
    }

    public ClipSchedule Schedule => schedule;

    public PipelineCounters Counters => new(
        nextClip,
        fusionRuns,
        streams.ToDictionary(s => s.Name, s => s.BackboneRuns, StringComparer.Ordinal),
        streams.ToDictionary(s => s.Name, s => s.SubstituteRuns, StringComparer.Ordinal),
        video?.FramesReceived ?? 0,
        video?.SlotsFinalized ?? 0,
        video?.FaceDetections ?? 0,
        noSignal)
    {
        ImaginationRuns = streams.Where(s => s.Imagination is not null).ToDictionary(s => s.Name, s => s.ImaginationRuns, StringComparer.Ordinal),
    };

    /// <summary>What the pipeline holds between clips; every one stays bounded however long it runs (the soak checks).</summary>
    public PipelineDepths Depths => new(
        video?.SlotsHeld ?? 0,
        video?.PooledCrops ?? 0,
        streams.Sum(s => s.History?.Count ?? 0),
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
        var states = new ModalityReport?[modalities.Length];
        var missing = new string?[modalities.Length];
        var preprocessMs = new Dictionary<string, double>(modalities.Length, StringComparer.Ordinal);
        var backboneMs = new Dictionary<string, double>(modalities.Length, StringComparer.Ordinal);
        var anyData = false;

        // First the modalities with data of their own (or held): imagination reads their features.
        for (var i = 0; i < modalities.Length; i++)
        {
            var name = modalities[i].Name;
            var track = tracks[i];
            var stage = Stopwatch.GetTimestamp();
            var reason = track.Judge(clip, end);
            if (reason is null)
            {
                foreach (var s in streamsOf[i])
                {
                    track.WriteInput(s.IndexInModality, s.Backbone.Input(0));
                }
            }

            track.Finish(clip);
            var prepared = Stopwatch.GetTimestamp();
            preprocessMs[name] = Stopwatch.GetElapsedTime(stage, prepared + pushTicks[i]).TotalMilliseconds;
            arrivals += pushTicks[i];
            pushTicks[i] = 0;
            if (reason is null)
            {
                foreach (var s in streamsOf[i])
                {
                    s.Backbone.Run(cancellationToken);
                    s.BackboneRuns++;
                    var feature = s.Backbone.Output(0);
                    if (s.History is { } history)
                    {
                        feature.CopyTo(history.Store(clip));
                    }

                    feature.CopyTo(s.LastGood ??= new float[feature.Length]);
                }

                lastGoodEnd[i] = end;
                states[i] = ModalityReport.Ok;
                anyData = true;
            }
            else if (options.For(name).Policy == MissingPolicy.Hold
                     && lastGoodEnd[i] is { } heldEnd
                     && end - heldEnd <= options.For(name).MaxHold)
            {
                // Without fusion the backbone's outputs still hold that clip's scores: nothing ran on it since.
                foreach (var s in streamsOf[i])
                {
                    if (s.History is { } history)
                    {
                        s.LastGood.CopyTo(history.Store(clip));
                    }
                }

                states[i] = new ModalityReport(ModalityState.Held, reason, end - heldEnd);
                anyData = true;
            }
            else
            {
                missing[i] = reason;
            }

            backboneMs[name] = Stopwatch.GetElapsedTime(prepared).TotalMilliseconds;
        }

        StandIn(clip, states, missing, backboneMs, cancellationToken);

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
            if (sessions.Fusion is not null)
            {
                RunFusion(clip, cancellationToken);
            }

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

        // In manifest order, whatever order the states were decided in.
        var reports = new Dictionary<string, ModalityReport>(modalities.Length, StringComparer.Ordinal);
        for (var i = 0; i < modalities.Length; i++)
        {
            reports[modalities[i].Name] = states[i]!;
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
        var earliest = clip % clipStride;
        for (var index = 0; index < fusionSources.Length; index++)
        {
            var history = streams[fusionSources[index]].History!;
            var dim = history.Dimension;
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

    public void Dispose()
    {
        foreach (var track in tracks)
        {
            track.Dispose();
        }
    }

    // Once per run of such clips, not per clip.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The fusion head gave a value that is not a finite number at clip {Clip}; such outputs carry no scores (no-signal)")]
    private partial void LogNonFiniteOutput(long clip);

    [LoggerMessage(Level = LogLevel.Information, Message = "Streaming pack {Pack}: hop {Hop} frames, fusion window {Window} clips {Stride} apart")]
    private partial void LogStarted(string pack, int hop, int stride, int window);
}
