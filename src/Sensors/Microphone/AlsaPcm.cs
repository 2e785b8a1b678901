namespace EdgeEmotion.Sensors.Microphone;

/// <summary>
/// One open ALSA capture PCM, interleaved (snd_pcm_open + snd_pcm_set_params). It is opened
/// non-blocking and each read waits for a period with snd_pcm_wait for at most
/// <see cref="WaitTimeout"/>, so a device that delivers nothing (an I2S port with no clock, a
/// hung USB mic) can never hold the reader, or shutdown, for longer than that.
/// Not thread-safe: one reader at a time.
/// </summary>
public sealed class AlsaPcm : IAlsaCapture
{
    private readonly AlsaPcmHandle handle;
    private readonly AlsaConfigHandle? config;

    private AlsaPcm(string device, AlsaPcmHandle handle, AlsaConfigHandle? config, AlsaCaptureOptions options)
    {
        Device = device;
        this.handle = handle;
        this.config = config;
        Channels = options.Channels;
        SampleRate = options.SampleRate;
        Format = options.SampleFormat;
    }

    /// <summary>The longest one <see cref="Read(Span{short}, int)"/> waits for data before returning -EAGAIN.</summary>
    public static TimeSpan WaitTimeout { get; } = TimeSpan.FromMilliseconds(100);

    public string Device { get; }

    public int Channels { get; }

    public int SampleRate { get; }

    internal AlsaSampleFormat Format { get; }

    /// <summary>
    /// Opens <paramref name="device"/> for capture with <paramref name="options"/>' rate, channels,
    /// format and latency (in <see cref="AlsaCaptureOptions.ConfigFile"/> when set).
    /// </summary>
    /// <exception cref="AlsaException">The device does not exist, is busy, or refuses the parameters; the message has ALSA's text and the device.</exception>
    /// <exception cref="DllNotFoundException">libasound2 is not installed.</exception>
    public static AlsaPcm Open(string device, AlsaCaptureOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return OpenCore(device, options);
        }
        catch (DllNotFoundException e)
        {
            throw AlsaNative.LibraryMissing(e);
        }
    }

    /// <returns>Frames read; -EAGAIN (-11) when no data came within <see cref="WaitTimeout"/>; another negative errno on failure (-EPIPE: overrun).</returns>
    public long Read(Span<short> buffer, int frames)
    {
        CheckFormat(AlsaSampleFormat.S16, buffer.Length, frames);
        unsafe
        {
            fixed (short* p = buffer)
            {
                return ReadCore(p, frames);
            }
        }
    }

    /// <returns>Frames read; -EAGAIN (-11) when no data came within <see cref="WaitTimeout"/>; another negative errno on failure (-EPIPE: overrun).</returns>
    public long Read(Span<float> buffer, int frames)
    {
        CheckFormat(AlsaSampleFormat.FloatLe, buffer.Length, frames);
        unsafe
        {
            fixed (float* p = buffer)
            {
                return ReadCore(p, frames);
            }
        }
    }

    /// <summary>snd_pcm_recover (prepares the stream again after an overrun or suspend), then starts capture again.</summary>
    public int Recover(int errorCode)
    {
        var result = AlsaNative.snd_pcm_recover(handle, errorCode, 1);
        return result < 0 ? result : AlsaNative.snd_pcm_start(handle);
    }

    /// <summary>Frames captured but not yet read, or a negative errno.</summary>
    public long Delay()
    {
        var result = AlsaNative.snd_pcm_delay(handle, out var frames);
        return result < 0 ? result : frames;
    }

    public void Dispose()
    {
        if (!handle.IsClosed && !handle.IsInvalid)
        {
            _ = AlsaNative.snd_pcm_drop(handle);
        }

        handle.Dispose();
        config?.Dispose();
    }

    private unsafe long ReadCore(void* buffer, int frames)
    {
        // Wait for a period (avail_min) first, so reads are whole periods, not what trickled in.
        var ready = AlsaNative.snd_pcm_wait(handle, (int)WaitTimeout.TotalMilliseconds);
        if (ready < 0)
        {
            return ready;
        }

        if (ready == 0)
        {
            return AlsaNative.EAgain;
        }

        return AlsaNative.snd_pcm_readi(handle, buffer, (nuint)frames);
    }

    private static AlsaPcm OpenCore(string device, AlsaCaptureOptions options)
    {
        var config = options.ConfigFile is null ? null : LoadConfig(device, options.ConfigFile);
        AlsaPcmHandle? handle = null;
        try
        {
            var error = config is null
                ? AlsaNative.snd_pcm_open(out handle, device, AlsaNative.StreamCapture, AlsaNative.ModeNonBlock)
                : AlsaNative.snd_pcm_open_lconf(out handle, device, AlsaNative.StreamCapture, AlsaNative.ModeNonBlock, config);
            Check(device, "open", error);

            var format = options.SampleFormat == AlsaSampleFormat.FloatLe ? AlsaNative.FormatFloatLe : AlsaNative.FormatS16Le;
            error = AlsaNative.snd_pcm_set_params(
                handle, format, AlsaNative.AccessRwInterleaved, (uint)options.Channels, (uint)options.SampleRate,
                softResample: 1, (uint)options.LatencyTime.TotalMicroseconds);
            Check(device, $"set_params ({options.Format}, {options.Channels} ch, {options.SampleRate} Hz, {options.LatencyTime.TotalMilliseconds} ms)", error);

            Check(device, "prepare", AlsaNative.snd_pcm_prepare(handle));

            // Start now: snd_pcm_wait on a prepared capture stream that never started would only time out.
            Check(device, "start", AlsaNative.snd_pcm_start(handle));
            return new AlsaPcm(device, handle, config, options);
        }
        catch
        {
            handle?.Dispose();
            config?.Dispose();
            throw;
        }
    }

    private static AlsaConfigHandle LoadConfig(string device, string path)
    {
        Check(device, "config_top", AlsaNative.snd_config_top(out var config));
        try
        {
            Check(device, $"opening config {path}", AlsaNative.snd_input_stdio_open(out var input, path, "r"));
            try
            {
                Check(device, $"loading config {path}", AlsaNative.snd_config_load(config, input));
            }
            finally
            {
                _ = AlsaNative.snd_input_close(input);
            }

            return config;
        }
        catch
        {
            config.Dispose();
            throw;
        }
    }

    private static void Check(string device, string operation, int error)
    {
        if (error < 0)
        {
            throw new AlsaException(device, operation, error);
        }
    }

    private void CheckFormat(AlsaSampleFormat format, int bufferLength, int frames)
    {
        if (Format != format)
        {
            throw new InvalidOperationException($"ALSA device '{Device}' was opened for {Format} samples, not {format}");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        if ((long)frames * Channels > bufferLength)
        {
            throw new ArgumentException($"{frames} frames of {Channels} channels do not fit in {bufferLength} samples", nameof(frames));
        }
    }
}
