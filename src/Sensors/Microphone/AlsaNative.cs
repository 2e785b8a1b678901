using System.Runtime.InteropServices;

namespace EdgeEmotion.Sensors.Microphone;

/// <summary>
/// The few libasound (ALSA) calls the microphone source needs. Every call may throw
/// <see cref="DllNotFoundException"/> when libasound2 is not installed; callers turn it into
/// <see cref="LibraryMissing"/>'s clearer message.
/// </summary>
internal static partial class AlsaNative
{
    public const string Library = "libasound.so.2";

    public const int StreamCapture = 1;

    /// <summary>SND_PCM_NONBLOCK: reads return -EAGAIN instead of blocking; we wait with snd_pcm_wait and a timeout.</summary>
    public const int ModeNonBlock = 1;

    /// <summary>-EAGAIN: no data yet.</summary>
    public const int EAgain = -11;

    /// <summary>-EINTR: interrupted by a signal.</summary>
    public const int EIntr = -4;
    public const int FormatS16Le = 2;
    public const int FormatFloatLe = 14;
    public const int AccessRwInterleaved = 3;

    /// <summary>-EPIPE: an overrun (capture) or underrun.</summary>
    public const int EPipe = -32;

    /// <summary>-ESTRPIPE: the stream was suspended.</summary>
    public const int EStrPipe = -86;

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int snd_pcm_open(out AlsaPcmHandle pcm, string name, int stream, int mode);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int snd_pcm_open_lconf(out AlsaPcmHandle pcm, string name, int stream, int mode, AlsaConfigHandle lconf);

    [LibraryImport(Library)]
    public static partial int snd_pcm_close(IntPtr pcm);

    [LibraryImport(Library)]
    public static partial int snd_pcm_set_params(AlsaPcmHandle pcm, int format, int access, uint channels, uint rate, int softResample, uint latencyUs);

    [LibraryImport(Library)]
    public static unsafe partial nint snd_pcm_readi(AlsaPcmHandle pcm, void* buffer, nuint frames);

    [LibraryImport(Library)]
    public static partial int snd_pcm_wait(AlsaPcmHandle pcm, int timeoutMs);

    [LibraryImport(Library)]
    public static partial int snd_pcm_recover(AlsaPcmHandle pcm, int error, int silent);

    [LibraryImport(Library)]
    public static partial int snd_pcm_prepare(AlsaPcmHandle pcm);

    [LibraryImport(Library)]
    public static partial int snd_pcm_start(AlsaPcmHandle pcm);

    [LibraryImport(Library)]
    public static partial int snd_pcm_drop(AlsaPcmHandle pcm);

    [LibraryImport(Library)]
    public static partial int snd_pcm_delay(AlsaPcmHandle pcm, out nint delayFrames);

    [LibraryImport(Library)]
    public static partial IntPtr snd_strerror(int error);

    [LibraryImport(Library)]
    public static partial int snd_config_top(out AlsaConfigHandle config);

    [LibraryImport(Library)]
    public static partial int snd_config_delete(IntPtr config);

    [LibraryImport(Library)]
    public static partial int snd_config_load(AlsaConfigHandle config, IntPtr input);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int snd_input_stdio_open(out IntPtr input, string path, string mode);

    [LibraryImport(Library)]
    public static partial int snd_input_close(IntPtr input);

    /// <summary>ALSA's text for a negative error code ("No such file or directory").</summary>
    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(snd_strerror(error)) ?? $"error {error}";

    /// <summary>The exception to throw when libasound.so.2 cannot be loaded.</summary>
    public static DllNotFoundException LibraryMissing(DllNotFoundException inner) =>
        new($"ALSA's {Library} could not be loaded: install the libasound2 package (apt install libasound2, libasound2t64 on newer Ubuntu) for microphone capture. {inner.Message}", inner);
}

/// <summary>An open snd_pcm_t; closes it on release.</summary>
internal sealed class AlsaPcmHandle : SafeHandle
{
    public AlsaPcmHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => AlsaNative.snd_pcm_close(handle) >= 0;
}

/// <summary>A snd_config_t tree; deleted on release.</summary>
internal sealed class AlsaConfigHandle : SafeHandle
{
    public AlsaConfigHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => AlsaNative.snd_config_delete(handle) >= 0;
}
