using System.Runtime.CompilerServices;
using EdgeEmotion.Runtime.Sources;
using OpenCvSharp;

namespace EdgeEmotion.Sensors.Synthetic;

/// <summary>
/// A recorded video played through a <see cref="DropoutScript"/>'s visual dropouts, as
/// <see cref="SyntheticVideoSource"/> applies them to its own frames: a frame whose timestamp
/// falls in a <c>missing</c> interval is dropped, one in a <c>frozen</c> interval carries the
/// pixels of the last frame delivered before it (of its own first frame when none was). So the
/// demo on a video file still shows the held and substituted states.
/// </summary>
public sealed class ScriptedVideoDropouts(ISampleSource<VideoFrame> inner, DropoutScript script) : ISampleSource<VideoFrame>
{
    // Only a script that freezes the camera needs a copy of every frame delivered.
    private readonly bool freezes = script.Dropouts.Any(d => d.Modality == SensorModality.Visual && d.Kind == DropoutKind.Frozen);

    public string Description => inner.Description + " (scripted dropouts)";

    public async IAsyncEnumerable<VideoFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Mat? last = null;
        try
        {
            await foreach (var frame in inner.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var dropout = script.KindAt(SensorModality.Visual, frame.Timestamp);
                if (dropout == DropoutKind.Missing)
                {
                    frame.Dispose();
                    continue;
                }

                if (dropout == DropoutKind.Frozen && last is not null)
                {
                    var timestamp = frame.Timestamp;
                    frame.Dispose();
                    yield return new VideoFrame(timestamp, last.Clone());
                    continue;
                }

                if (freezes)
                {
                    last?.Dispose();
                    last = frame.Image.Clone();
                }

                yield return frame;
            }
        }
        finally
        {
            last?.Dispose();
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
