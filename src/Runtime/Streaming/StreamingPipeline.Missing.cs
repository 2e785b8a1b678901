using System.Diagnostics;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.Runtime.Streaming;

// What stands in for a modality missing from a clip, once hold no longer applies.
public sealed partial class StreamingPipeline
{
    // Second pass, once the modalities with data (or held) have their features of this clip: the
    // missing ones get theirs imagined from those, or their natural substitute.
    private void StandIn(long clip, ModalityReport?[] states, string?[] missing, Dictionary<string, double> backboneMs, CancellationToken cancellationToken)
    {
        for (var i = 0; i < modalities.Length; i++)
        {
            if (missing[i] is not { } reason)
            {
                continue;
            }

            var stage = Stopwatch.GetTimestamp();
            if (manifest.Fusion is null)
            {
                // The only modality is missing: no scores, so no substitute to compute either.
                states[i] = new ModalityReport(ModalityState.Substituted, reason);
            }
            else if (modalities[i].Missing.Substitute == MissingSubstitutes.Imagine && CanImagine(i, states))
            {
                foreach (var s in streamsOf[i])
                {
                    Imagine(s, clip, cancellationToken);
                }

                states[i] = new ModalityReport(ModalityState.Imagined, reason);
            }
            else
            {
                foreach (var s in streamsOf[i])
                {
                    Substitute(s, cancellationToken).CopyTo(s.History!.Store(clip));
                }

                states[i] = new ModalityReport(ModalityState.Substituted, reason);
            }

            backboneMs[modalities[i].Name] += Stopwatch.GetElapsedTime(stage).TotalMilliseconds;
        }
    }

    // Imagination needs every input stream's feature of this clip from a modality that is ok or held.
    private bool CanImagine(int modality, ModalityReport?[] states)
    {
        foreach (var s in streamsOf[modality])
        {
            if (s.Imagination is null)
            {
                return false;
            }

            foreach (var source in s.ImaginationSources)
            {
                if (states[streams[source].Modality] is not { State: ModalityState.Ok or ModalityState.Held })
                {
                    return false;
                }
            }
        }

        return true;
    }

    private void Imagine(StreamState stream, long clip, CancellationToken cancellationToken)
    {
        var model = stream.Imagination!;
        for (var input = 0; input < stream.ImaginationSources.Length; input++)
        {
            streams[stream.ImaginationSources[input]].History!.Get(clip).CopyTo(model.Input(input));
        }

        model.Run(cancellationToken);
        stream.ImaginationRuns++;
        model.Output(0).CopyTo(stream.History!.Store(clip));
    }

    // The backbone's answer to black frames / silence / neutral EDA is the same every time:
    // compute it once per pipeline.
    private float[] Substitute(StreamState stream, CancellationToken cancellationToken)
    {
        if (stream.Substitute is { } cached)
        {
            return cached;
        }

        var backbone = stream.Backbone;
        tracks[stream.Modality].WriteSubstitute(stream.IndexInModality, backbone.Input(0));
        backbone.Run(cancellationToken);
        stream.SubstituteRuns++;
        return stream.Substitute = backbone.Output(0).ToArray();
    }
}
