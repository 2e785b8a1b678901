using OpenCvSharp;

namespace EdgeEmotion.Sensors.Camera;

/// <summary>
/// Runs a capture's blocking reads on the thread pool, one at a time, and never frees the capture
/// under a read: a read that hangs (a stalled camera) is abandoned, and the capture and its frame
/// are disposed when, if ever, that read returns.
/// </summary>
internal sealed class GuardedCapture(ICameraCapture capture)
{
    private readonly Lock gate = new();
    private Task<Mat?>? pending;
    private bool released;

    public double FrameRate => capture.FrameRate;

    /// <summary>The next frame (owned by the caller), or null when the read failed.</summary>
    public Task<Mat?> ReadAsync()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(released, this);
            if (pending is { IsCompleted: false })
            {
                throw new InvalidOperationException("A read is already running on this capture.");
            }

            pending = Task.Run(ReadOne, CancellationToken.None);
            return pending;
        }
    }

    /// <summary>Closes the capture now, or once the read in flight returns (whose frame is then dropped).</summary>
    public void Release()
    {
        Task<Mat?>? inFlight;
        lock (gate)
        {
            if (released)
            {
                return;
            }

            released = true;
            inFlight = pending;
        }

        if (inFlight is null || inFlight.IsCompleted)
        {
            capture.Dispose();
            return;
        }

        _ = inFlight.ContinueWith(
            static (read, state) =>
            {
                if (read.IsCompletedSuccessfully)
                {
                    read.Result?.Dispose();
                }

                ((ICameraCapture)state!).Dispose();
            },
            capture,
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    private Mat? ReadOne()
    {
        Mat? frame = new Mat();
        try
        {
            if (capture.Read(frame) && !frame.Empty())
            {
                var result = frame;
                frame = null;
                return result;
            }

            return null;
        }
        catch (OpenCVException)
        {
            return null;
        }
        catch (OpenCvSharpException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // A capture that broke underneath (closed device, disposed native object) is a failed read too.
            return null;
        }
        finally
        {
            frame?.Dispose();
        }
    }
}
