using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Publishing;

/// <summary>
/// One <see cref="ScoreOutput"/> as a compact JSON object: the line format of replay files and
/// the body of score messages. Numbers are written with fixed precision so the same run gives the
/// same bytes; latencies (which never repeat) are written only when asked for. A number that is not
/// finite is refused with <see cref="InvalidDataException"/> (the pipeline never makes one: the last
/// guard that no message holds NaN or infinity, which JSON cannot carry).
/// </summary>
public static class ScoreJson
{
    /// <exception cref="InvalidDataException">A number in the output is not finite; the message names it.</exception>
    public static string Serialize(ScoreOutput output, bool includeLatency)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, output, includeLatency, envelope: null);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The body of a <c>scores</c> MQTT message (docs/mqtt.md): the output plus who produced it, when, and its sequence number.</summary>
    /// <exception cref="InvalidDataException">A number in the output is not finite; the message names it.</exception>
    public static byte[] SerializeMessage(ScoreOutput output, ScoreEnvelope envelope)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, output, includeLatency: true, envelope);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter json, ScoreOutput output, bool includeLatency, ScoreEnvelope? envelope)
    {
        json.WriteStartObject();
        if (envelope is not null)
        {
            json.WriteNumber("seq", envelope.Sequence);
            json.WriteString("deviceId", envelope.DeviceId);
            json.WriteString("producedAt", envelope.ProducedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteStartObject("model");
            json.WriteString("id", envelope.ModelId);
            json.WriteString("version", envelope.ModelVersion);
            json.WriteString("task", envelope.Task);
            json.WriteEndObject();
        }

        json.WriteNumber("clip", output.Clip);
        WriteFixed(json, "clipEnd", output.ClipEnd.TotalSeconds, 3, output.Clip);
        json.WriteString("status", output.Status);
        if (output.Scores is null)
        {
            json.WriteNull("scores");
        }
        else
        {
            json.WriteStartObject("scores");
            foreach (var score in output.Scores)
            {
                if (score.Level is { } level)
                {
                    json.WriteStartObject(score.Name);
                    json.WriteNumber("level", level);
                    if (score.Label is { } label)
                    {
                        // Unordered classes: the level's name and probability; an "expected" class means nothing.
                        json.WriteString("label", label);
                        WriteFixed(json, "probability", score.Value, 6, output.Clip);
                    }
                    else
                    {
                        WriteFixed(json, "expected", score.Value, 6, output.Clip);
                    }

                    json.WriteStartArray("probabilities");
                    foreach (var p in score.Probabilities ?? [])
                    {
                        json.WriteRawValue(Fixed(p, 6, output.Clip, score.Name));
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                else
                {
                    WriteFixed(json, score.Name, score.Value, 6, output.Clip);
                }
            }

            json.WriteEndObject();
        }

        json.WriteStartObject("modalities");
        foreach (var (name, report) in output.Modalities)
        {
            json.WriteStartObject(name);
            json.WriteString("state", report.State.Name());
            if (envelope is not null)
            {
                // Where the samples came from, in the same place as in status messages.
                json.WriteString("source", envelope.Sources.GetValueOrDefault(name, SourceKind.None).Name());
            }

            if (report.Reason is { } reason)
            {
                json.WriteString("reason", reason);
            }

            if (report.HeldFor is { } held)
            {
                WriteFixed(json, "heldFor", held.TotalSeconds, 3, output.Clip);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();

        if (includeLatency)
        {
            var latency = output.Latency;
            json.WriteStartObject("latencyMs");
            foreach (var (name, ms) in latency.PreprocessMs)
            {
                WriteFixed(json, $"{name}Preprocess", ms, 3, output.Clip);
            }

            foreach (var (name, ms) in latency.BackboneMs)
            {
                WriteFixed(json, $"{name}Backbone", ms, 3, output.Clip);
            }

            WriteFixed(json, "faceDetection", latency.FaceDetectionMs, 3, output.Clip);
            WriteFixed(json, "fusion", latency.FusionMs, 3, output.Clip);
            WriteFixed(json, "total", latency.TotalMs, 3, output.Clip);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteFixed(Utf8JsonWriter json, string name, double value, int decimals, long clip)
    {
        json.WritePropertyName(name);
        json.WriteRawValue(Fixed(value, decimals, clip, name));
    }

    // Fixed decimals: deterministic text, and no "-0" or exponent surprises for dashboards.
    private static string Fixed(double value, int decimals, long clip, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new InvalidDataException($"clip {clip}: '{name}' is {value.ToString(CultureInfo.InvariantCulture)}; a message never carries a number that is not finite");
        }

        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            rounded = 0; // drops the sign of -0
        }

        return rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Who produced a score message, its place in the device's sequence (monotonic across restarts)
/// and what fed each modality (<see cref="SourceKind.None"/> where absent).
/// </summary>
public sealed record ScoreEnvelope(long Sequence, string DeviceId, DateTimeOffset ProducedAt, string ModelId, string ModelVersion, string Task, IReadOnlyDictionary<string, SourceKind> Sources);
