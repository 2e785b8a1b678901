namespace EdgeEmotion.Sensors.Microphone;

/// <summary>Sample format asked of the ALSA device (the config's <c>Alsa.Format</c>).</summary>
internal enum AlsaSampleFormat
{
    /// <summary>"S16": signed 16-bit little-endian (SND_PCM_FORMAT_S16_LE); every capture device has it.</summary>
    S16,

    /// <summary>"Float32": 32-bit float little-endian (SND_PCM_FORMAT_FLOAT_LE); usually only through plughw or a plug PCM.</summary>
    FloatLe,
}

/// <summary>
/// How the microphone is opened. Bound from the config file's <c>Alsa</c> section
/// (deploy/jetson/sensors-microphone.md).
/// </summary>
public sealed class AlsaCaptureOptions
{
    /// <summary>ALSA PCM name: <c>default</c>, <c>hw:CARD=Device,DEV=0</c>, <c>plughw:1,0</c>, <c>dsnoop:...</c>.</summary>
    public string Device { get; set; } = "default";

    /// <summary>Frames per second asked of the device, Hz (ALSA may resample when the device is a plug PCM).</summary>
    public int SampleRate { get; set; } = 44100;

    /// <summary>Channels to capture; they are averaged to mono.</summary>
    public int Channels { get; set; } = 1;

    /// <summary><c>S16</c> (signed 16-bit little-endian; every device has it) or <c>Float32</c> (32-bit float little-endian; usually only through plughw), case-insensitive.</summary>
    public string Format { get; set; } = "S16";

    internal AlsaSampleFormat SampleFormat =>
        string.Equals(Format, "Float32", StringComparison.OrdinalIgnoreCase) ? AlsaSampleFormat.FloatLe : AlsaSampleFormat.S16;

    /// <summary>Length of one read, and so of one <c>AudioBlock</c>.</summary>
    public TimeSpan PeriodTime { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The device's buffer length (snd_pcm_set_params' latency): how long the reader may stall before an overrun.</summary>
    public TimeSpan LatencyTime { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A device that delivers no audio this long (an I2S port with no clock, a hung USB mic) is closed and reopened.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait before reopening a lost or unopenable device; doubles each failure.</summary>
    public TimeSpan ReopenMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reopen attempts.</summary>
    public TimeSpan ReopenMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Stop after this many frames (null: capture forever). For file-backed test PCMs, whose
    /// reads keep returning full counts after the infile ends.
    /// </summary>
    public long? MaxFrames { get; set; }

    /// <summary>
    /// An ALSA configuration file to resolve <see cref="Device"/> in, instead of the system's
    /// (alsa.conf and ~/.asoundrc). Only what the file defines exists then (no <c>hw</c>, no
    /// <c>default</c>). For tests and special setups; null in production.
    /// </summary>
    public string? ConfigFile { get; set; }

    /// <summary>Frames per read: PeriodTime x SampleRate, rounded, at least 1.</summary>
    public int PeriodFrames => Math.Max(1, (int)Math.Round(PeriodTime.TotalSeconds * SampleRate));

    /// <summary>Throws <see cref="ArgumentException"/> naming every bad setting and why.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }
    }

    /// <summary>One line per bad setting, each starting with its key (<c>Alsa.SampleRate ...</c>); empty when all is well.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Device))
        {
            problems.Add("Alsa.Device must name an ALSA PCM (default, hw:CARD=Device,DEV=0, plughw:1,0), not blank");
        }

        if (SampleRate is < 4000 or > 384000)
        {
            problems.Add($"Alsa.SampleRate must be 4000 to 384000 Hz, not {SampleRate}");
        }

        if (Channels is < 1 or > 32)
        {
            problems.Add($"Alsa.Channels must be 1 to 32, not {Channels}");
        }

        if (!string.Equals(Format, "S16", StringComparison.OrdinalIgnoreCase) && !string.Equals(Format, "Float32", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Alsa.Format must be S16 or Float32, not {Format}");
        }

        if (PeriodTime < TimeSpan.FromMilliseconds(1) || PeriodTime > TimeSpan.FromSeconds(1))
        {
            problems.Add($"Alsa.PeriodTime must be 1 ms to 1 s, not {PeriodTime}");
        }

        if (LatencyTime < PeriodTime * 2 || LatencyTime > TimeSpan.FromSeconds(10))
        {
            problems.Add($"Alsa.LatencyTime must be at least twice Alsa.PeriodTime ({PeriodTime * 2}) and at most 10 s, not {LatencyTime}");
        }

        if (StallTimeout < TimeSpan.FromMilliseconds(200) || StallTimeout < LatencyTime)
        {
            problems.Add($"Alsa.StallTimeout must be at least 200 ms and at least Alsa.LatencyTime ({LatencyTime}), not {StallTimeout}");
        }

        if (ReopenMinDelay <= TimeSpan.Zero)
        {
            problems.Add($"Alsa.ReopenMinDelay must be positive, not {ReopenMinDelay}");
        }

        if (ReopenMaxDelay <= TimeSpan.Zero)
        {
            problems.Add($"Alsa.ReopenMaxDelay must be positive, not {ReopenMaxDelay}");
        }

        if (ReopenMinDelay > ReopenMaxDelay)
        {
            problems.Add($"Alsa.ReopenMinDelay {ReopenMinDelay} is greater than Alsa.ReopenMaxDelay {ReopenMaxDelay}");
        }

        if (MaxFrames is < 1)
        {
            problems.Add($"Alsa.MaxFrames must be positive or left out (endless), not {MaxFrames}");
        }

        if (ConfigFile is not null && !File.Exists(ConfigFile))
        {
            problems.Add($"Alsa.ConfigFile {ConfigFile} does not exist");
        }

        return problems;
    }
}
