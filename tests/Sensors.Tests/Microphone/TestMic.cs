using EdgeEmotion.Tests;
using System.Runtime.InteropServices;
using EdgeEmotion.Sensors.Microphone;

namespace EdgeEmotion.Sensors.Tests.Microphone;

/// <summary>
/// A file-backed ALSA capture PCM named <c>testmic</c>: a raw interleaved infile and a config
/// file of its own, opened with snd_pcm_open_lconf (<see cref="AlsaCaptureOptions.ConfigFile"/>),
/// so tests need no sound card, no environment variables and can run in parallel.
/// </summary>
internal sealed class TestMic : IDisposable
{
    private TestMic(string directory) => Directory = directory;

    public string Directory { get; }

    public string ConfigFile => Path.Combine(Directory, "asound.conf");

    public static TestMic S16(short[] interleaved) => Create(MemoryMarshal.AsBytes(interleaved.AsSpan()).ToArray());

    public static TestMic Float32(float[] interleaved) => Create(MemoryMarshal.AsBytes(interleaved.AsSpan()).ToArray());

    /// <summary>Options for the test PCM at 16 kHz, 20 ms periods (320 frames), stopping after <paramref name="frames"/>.</summary>
    public AlsaCaptureOptions Options(long frames, int channels = 1, string format = "S16") => new()
    {
        Device = "testmic",
        ConfigFile = ConfigFile,
        SampleRate = 16000,
        Channels = channels,
        Format = format,
        PeriodTime = TimeSpan.FromMilliseconds(20),
        LatencyTime = TimeSpan.FromMilliseconds(100),
        ReopenMinDelay = TimeSpan.FromMilliseconds(10),
        ReopenMaxDelay = TimeSpan.FromMilliseconds(40),
        MaxFrames = frames,
    };

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static TestMic Create(byte[] raw)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"edgeemo-alsa-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var infile = Path.Combine(directory, "in.raw");
        File.WriteAllBytes(infile, raw);
        AlsaFilePlugin.WriteConfig(directory, infile);
        return new TestMic(directory);
    }
}

/// <summary>Wraps a real PCM and replaces chosen reads with an error code, to test recovery around real libasound.</summary>
internal sealed class FaultyCapture(IAlsaCapture inner, Func<int, int?> faultAtRead) : IAlsaCapture
{
    private int reads;

    public string Device => inner.Device;

    /// <summary>What the real snd_pcm_recover returned, in order.</summary>
    public List<int> Recoveries { get; } = [];

    public bool Disposed { get; private set; }

    public long Read(Span<short> buffer, int frames) => faultAtRead(++reads) ?? inner.Read(buffer, frames);

    public long Read(Span<float> buffer, int frames) => faultAtRead(++reads) ?? inner.Read(buffer, frames);

    public int Recover(int errorCode)
    {
        var result = inner.Recover(errorCode);
        Recoveries.Add(result);
        return result;
    }

    public void Dispose()
    {
        Disposed = true;
        inner.Dispose();
    }
}
