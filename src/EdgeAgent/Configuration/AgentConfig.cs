using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Inference;
using EdgeEmotion.Runtime.Streaming;
using EdgeEmotion.Sensors.Camera;
using EdgeEmotion.Sensors.Eda;
using EdgeEmotion.Sensors.Microphone;

namespace EdgeEmotion.EdgeAgent.Configuration;

/// <summary>
/// The agent's config file (/etc/edgeemo/edgeemo.json), every key documented in docs/config.md.
/// Read strictly by <see cref="AgentConfigReader"/>: unknown keys and wrong types are errors.
/// </summary>
public sealed class AgentConfig
{
    /// <summary>This device's id in MQTT topics: edgeemo/v1/&lt;deviceId&gt;/...</summary>
    public required string DeviceId { get; init; }

    /// <summary>The model pack folder to run.</summary>
    public required string Pack { get; set; }

    public required SourcesConfig Sources { get; init; }

    public InferenceOptions Inference { get; set; } = new();

    public StreamingOptions Streaming { get; set; } = new();

    /// <summary>The face models for packs whose face recipe names the trained detector.</summary>
    public FacesConfig Faces { get; set; } = new();

    public MqttOptions Mqtt { get; set; } = new();

    public ScoreQueueOptions Queue { get; set; } = new();

    public ServiceOptions Service { get; set; } = new();

    /// <summary>Model updates over MQTT (ota/request -> ota/status); off unless enabled.</summary>
    public OtaOptions Ota { get; set; } = new();
}

/// <summary>The face models the agent ships (models/face: face-api.js's detector and landmarks); packs do not carry them.</summary>
public sealed class FacesConfig
{
    /// <summary>
    /// The copy beside the executable: every build and the Jetson bundle carry models/face there
    /// (bin/models/face in a checkout, /usr/lib/edgeemo/models/face on the device).
    /// </summary>
    public static string DefaultModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models", "face");

    /// <summary>The folder of tiny_face_detector.onnx and face_landmark_68.onnx (and their goldens).</summary>
    public string ModelsDirectory { get; set; } = DefaultModelsDirectory;
}

/// <summary>Model updates requested on <c>ota/request</c>: download, install, hot reload, health gate.</summary>
public sealed class OtaOptions
{
    /// <summary>Handle ota/request. When on, the agent runs the pack at &lt;stateDirectory&gt;/packs/active (seeded from <c>pack</c> when absent).</summary>
    public bool Enabled { get; set; }

    /// <summary>The state folder: packs/, downloads/, ota-bad.json.</summary>
    public string StateDirectory { get; set; } = "/var/lib/edgeemo";

    /// <summary>Folder of trusted public keys (*.pub).</summary>
    public string TrustedKeys { get; set; } = "/etc/edgeemo/trusted-keys";

    /// <summary>When set, only bundles signed by these key ids (of the trusted keys) are installed.</summary>
    public List<string>? AllowedSigners { get; set; }

    /// <summary>Largest bundle downloaded (bytes).</summary>
    public long MaxDownloadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Limit for the whole download.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public HealthGateOptions HealthGate { get; set; } = new();
}

/// <summary>After a switch the new pack must produce <see cref="Outputs"/> scored outputs within <see cref="Within"/>, else it is rolled back.</summary>
public sealed class HealthGateOptions
{
    public int Outputs { get; set; } = 5;

    public TimeSpan Within { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Where each modality's samples come from. A modality left out is reported missing ("no source").</summary>
public sealed class SourcesConfig
{
    public SourceConfig? Visual { get; init; }

    public SourceConfig? Audio { get; init; }

    public SourceConfig? Eda { get; init; }

    /// <summary>Synthetic sources and video files (a file source or a file camera): scripted dropouts, e.g. "visual:missing@20-28,audio:silence@40-46".</summary>
    public string? Dropouts { get; init; }
}

public enum SourceType
{
    /// <summary>A recorded file (video, WAV, EDA CSV), played in real time from the service's start.</summary>
    [JsonStringEnumMemberName("file")]
    File,

    /// <summary>Generated samples (demo, soak tests).</summary>
    [JsonStringEnumMemberName("synthetic")]
    Synthetic,

    /// <summary>A CSI, V4L2 or file camera (visual): settings in <see cref="SourceConfig.Camera"/>.</summary>
    [JsonStringEnumMemberName("camera")]
    Camera,

    /// <summary>An ALSA capture device (audio): settings in <see cref="SourceConfig.Alsa"/>.</summary>
    [JsonStringEnumMemberName("alsa")]
    Alsa,

    /// <summary>A TI ADS1115 ADC over I2C with a calibrated GSR front end (EDA): settings in <see cref="SourceConfig.Ads1115"/>.</summary>
    [JsonStringEnumMemberName("ads1115")]
    Ads1115,
}

public sealed class SourceConfig
{
    public required SourceType Type { get; init; }

    /// <summary>For <c>file</c>: the file to play.</summary>
    public string? Path { get; set; }

    /// <summary>For a synthetic visual source: the face photo it moves around (default: tests/media/face.jpg of a checkout).</summary>
    public string? FaceImage { get; set; }

    /// <summary>For synthetic sources: the random seed.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>For <c>camera</c>: CSI sensor, V4L2 device or file, size, rate, flip, stall and reopen settings.</summary>
    public CameraOptions? Camera { get; set; }

    /// <summary>For <c>alsa</c>: the capture device and its parameters.</summary>
    public AlsaCaptureOptions? Alsa { get; set; }

    /// <summary>For <c>ads1115</c>: bus, address, gain, data rate, sample rate, calibration file.</summary>
    public Ads1115EdaOptions? Ads1115 { get; set; }

    /// <summary>For <c>ads1115</c>: read a register-level simulator of the ADC and front end instead of the bus (demo, tests).</summary>
    public SimulatedEdaConfig? Simulate { get; set; }
}

/// <summary>The simulated EDA bench: the ADS1115 simulator on the calibrate-eda bench, with a skin attached.</summary>
public sealed class SimulatedEdaConfig
{
    public double SkinMicrosiemens { get; set; } = 5;
}

/// <summary>How the service paces and watches itself.</summary>
public sealed class ServiceOptions
{
    /// <summary>How far behind real time the pipeline scores, so every source's samples for a clip have arrived.</summary>
    public TimeSpan SourceLatency { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Samples of each modality buffered between its source and the pipeline (drop-oldest beyond).</summary>
    public TimeSpan BufferLength { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The service counts as stalled (no WATCHDOG=1 sent) when the pipeline has made no progress for this long.</summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(10);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    WriteIndented = true)]
[JsonSerializable(typeof(AgentConfig))]
internal sealed partial class AgentConfigJsonContext : JsonSerializerContext;
