using System.Text;
using System.Text.Json;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>The status and health bodies as JSON, and the small parts that fill them.</summary>
public sealed class MqttMessageTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 3, 8, 15, 2, 125, TimeSpan.Zero);
    private static readonly ModelDescriptor Pain = new("pain-tiny", "1.0.0", "pain");
    private static readonly Dictionary<string, SourceKind> Sensors = new() { ["visual"] = SourceKind.Device, ["eda"] = SourceKind.Device };

    private readonly string thermalRoot = Directory.CreateTempSubdirectory("edgeemo-thermal-").FullName;

    [Fact]
    public void A_status_is_camel_case_json_with_a_utc_timestamp()
    {
        var status = StatusMessage.ForModalities(
            "bed-12",
            Pain,
            new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Ok), ["eda"] = new(ModalityState.Held, MissingReasons.OutOfRange, TimeSpan.FromSeconds(1)) },
            new Dictionary<string, SourceKind> { ["visual"] = SourceKind.Device, ["eda"] = SourceKind.Synthetic },
            Now);

        var json = Encoding.UTF8.GetString(PublishingJson.Serialize(status));

        Assert.Equal(
            $$$"""{"state":"degraded","deviceId":"bed-12","model":{"id":"pain-tiny","version":"1.0.0","task":"pain"},"modalities":{"visual":{"state":"ok","source":"device"},"eda":{"state":"held","source":"synthetic","reason":"electrode off or saturated"}},"agentVersion":"{{{AgentVersion.Current}}}","since":"2026-11-03T08:15:02.125Z"}""",
            json);
    }

    [Fact]
    public void Since_stays_while_the_state_stays_and_moves_when_it_changes()
    {
        var allOk = new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Ok) };
        var noFace = new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Substituted, MissingReasons.NoFace) };

        var first = StatusMessage.ForModalities("bed-12", Pain, allOk, Sensors, Now);
        var same = StatusMessage.ForModalities("bed-12", Pain, allOk, Sensors, Now.AddMinutes(1), first);
        var changed = StatusMessage.ForModalities("bed-12", Pain, noFace, Sensors, Now.AddMinutes(2), same);

        Assert.Equal(DeviceState.Online, same.State);
        Assert.Equal(Now, same.Since);
        Assert.Equal(DeviceState.Degraded, changed.State);
        Assert.Equal(Now.AddMinutes(2), changed.Since);
    }

    [Fact]
    public void Offline_keeps_the_model_and_marks_every_modality_unknown()
    {
        var online = StatusMessage.ForModalities("bed-12", Pain, new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Ok) }, Sensors, Now);

        var will = online.AsOffline(StatusMessage.ConnectionLostReason, since: null);
        var json = Encoding.UTF8.GetString(PublishingJson.Serialize(will));

        Assert.Equal(Pain, will.Model);
        Assert.Equal(ModalityStatusState.Unknown, will.Modalities["visual"].State);
        Assert.Equal(SourceKind.Device, will.Modalities["visual"].Source);
        Assert.DoesNotContain("since", json, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"connection lost\"", json, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"unknown\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_starting_status_has_a_null_model()
    {
        var json = Encoding.UTF8.GetString(PublishingJson.Serialize(StatusMessage.Starting("bed-12", Now)));

        Assert.Contains("\"model\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"modalities\":{}", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_kind_of_status_fits_the_schema()
    {
        var online = StatusMessage.ForModalities("bed-12", Pain, new Dictionary<string, ModalityReport> { ["visual"] = new(ModalityState.Ok) }, Sensors, Now);
        string[] bodies =
        [
            Encoding.UTF8.GetString(PublishingJson.Serialize(StatusMessage.Starting("bed-12", Now))),
            Encoding.UTF8.GetString(PublishingJson.Serialize(online)),
            Encoding.UTF8.GetString(PublishingJson.Serialize(online.AsOffline(StatusMessage.ConnectionLostReason, null))),
            Encoding.UTF8.GetString(PublishingJson.Serialize(online.AsOffline(StatusMessage.StoppedReason, Now))),
            Encoding.UTF8.GetString(PublishingJson.Serialize(online with { Queue = new QueueStatus(true, 0) })),
            Encoding.UTF8.GetString(PublishingJson.Serialize(online with { Queue = new QueueStatus(false, 12, "No space left on device") })),
        ];

        Assert.Empty(await JsonSchemaCheck.ValidateAsync("status.schema.json", bodies));

        // And the schema is not vacuous: online without since, offline without a reason.
        var problems = await JsonSchemaCheck.ValidateAsync("status.schema.json",
        [
            """{"state":"online","deviceId":"bed-12","model":null,"modalities":{},"agentVersion":"1"}""",
            """{"state":"offline","deviceId":"bed-12","model":null,"modalities":{},"agentVersion":"1","since":"2026-11-03T08:15:02.125Z"}""",
        ]);
        Assert.Contains(problems, p => p.StartsWith("message 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("message 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Thermal_zones_are_read_in_degrees_and_unreadable_ones_skipped()
    {
        Zone(0, "CPU-therm", "45500\n");
        Zone(1, "GPU-therm", "43000\n");
        Zone(2, "PMIC-Die", "not a number");
        Zone(3, "acpitz", "30000");
        Zone(4, "acpitz", "31000");

        var temperatures = new ThermalZoneReader(thermalRoot).Read();

        Assert.Equal(45.5, temperatures["CPU-therm"]);
        Assert.Equal(43.0, temperatures["GPU-therm"]);
        Assert.False(temperatures.ContainsKey("PMIC-Die"));
        Assert.Equal(30.0, temperatures["acpitz"]);
        Assert.Equal(31.0, temperatures["acpitz.thermal_zone4"]);
    }

    [Fact]
    public void No_thermal_folder_means_no_temperatures() =>
        Assert.Empty(new ThermalZoneReader(Path.Combine(thermalRoot, "absent")).Read());

    [Fact]
    public void Stage_latencies_are_averaged_per_interval()
    {
        var window = new StageLatencyWindow();
        window.Add("fusion", 2);
        window.Add("fusion", 4);
        window.Add("visualBackbone", 100.12345);

        var first = window.TakeMeans();
        window.Add("fusion", 10);
        var second = window.TakeMeans();

        Assert.Equal(3, first["fusion"]);
        Assert.Equal(100.123, first["visualBackbone"]);
        Assert.Equal(10, second["fusion"]);
        Assert.False(second.ContainsKey("visualBackbone"));
    }

    [Fact]
    public async Task A_health_message_carries_the_queue_publisher_and_thermal_figures()
    {
        Zone(0, "CPU-therm", "51250");
        var queue = new MemoryScoreQueue(capacity: 2);
        TestScores.Append(queue, "bed-12", 5);
        await using var publisher = new MqttPublisher(new MqttOptions(), "bed-12", queue, new TestLogger<MqttPublisher>());
        var builder = new HealthMessageBuilder("bed-12", queue, publisher, new ThermalZoneReader(thermalRoot), new StageLatencyWindow());

        var health = builder.Build(new Dictionary<string, string> { ["visual"] = "tensorrt" }, new Dictionary<string, long> { ["audio"] = 12 });
        var json = Encoding.UTF8.GetString(PublishingJson.Serialize(health));

        Assert.Equal(new QueueHealth(2, 3, 0), health.Queue);
        Assert.Contains("\"queue\":{\"depth\":2,\"dropped\":3,\"corruptSkipped\":0,\"unwritten\":0,\"droppedUnwritable\":0,\"writable\":true}", json, StringComparison.Ordinal);
        Assert.Equal(new MqttHealth(false, 0, 0), health.Mqtt);
        Assert.Equal(51.25, health.TemperaturesC["CPU-therm"]);
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(12, parsed.RootElement.GetProperty("droppedSamples").GetProperty("audio").GetInt64());
        Assert.Equal("tensorrt", parsed.RootElement.GetProperty("providers").GetProperty("visual").GetString());
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("health.schema.json", [json]));
    }

    [Fact]
    public async Task Health_counts_the_outputs_each_modality_was_missing_in_by_reason_and_fits_the_schema()
    {
        var queue = new MemoryScoreQueue(capacity: 2);
        await using var publisher = new MqttPublisher(new MqttOptions(), "bed-12", queue, new TestLogger<MqttPublisher>());
        var builder = new HealthMessageBuilder("bed-12", queue, publisher, new ThermalZoneReader(thermalRoot), new StageLatencyWindow());
        var missing = new MissingClipCounter();
        foreach (var visual in new[] { "face turned away", "face turned away", "no face", null, "face too small" })
        {
            missing.Observe(new ScoreOutput(0, TimeSpan.Zero, [], new Dictionary<string, ModalityReport>
            {
                ["visual"] = visual is null ? ModalityReport.Ok : new ModalityReport(ModalityState.Substituted, visual),
                ["audio"] = ModalityReport.Ok,
            }, new StageLatency(new Dictionary<string, double>(), new Dictionary<string, double>(), 0, 0)));
        }

        var json = Encoding.UTF8.GetString(PublishingJson.Serialize(builder.Build(new Dictionary<string, string>(), new Dictionary<string, long>(), missing)));

        Assert.Contains("\"missingOutputs\":{\"visual\":{\"face too small\":1,\"face turned away\":2,\"no face\":1}}", json, StringComparison.Ordinal);
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("health.schema.json", [json]));
    }

    [Fact]
    public async Task Health_says_when_the_queue_s_disk_refuses_writes_and_fits_the_schema()
    {
        using var folder = new QueueFolder();
        var disk = new SmallDisk(folder.Path);
        using var queue = new DiskScoreQueue(folder.Options(), folder.Logger, null, disk);
        disk.Fill();
        queue.Append(queue.NextSequence, TestScores.Payload(1, "bed-12"));
        await using var publisher = new MqttPublisher(new MqttOptions(), "bed-12", queue, new TestLogger<MqttPublisher>());
        var builder = new HealthMessageBuilder("bed-12", queue, publisher, new ThermalZoneReader(thermalRoot), new StageLatencyWindow());

        var health = builder.Build(new Dictionary<string, string>(), new Dictionary<string, long>());
        var json = Encoding.UTF8.GetString(PublishingJson.Serialize(health));

        Assert.Equal(new QueueHealth(1, 0, 0, Unwritten: 1, DroppedUnwritable: 0, Writable: false, WriteError: SmallDisk.NoSpace), health.Queue);
        Assert.Contains("\"writable\":false,\"writeError\":\"No space left on device\"", json, StringComparison.Ordinal);
        Assert.Empty(await JsonSchemaCheck.ValidateAsync("health.schema.json", [json]));

        // And the schema is not vacuous: not writable without a reason.
        var problems = await JsonSchemaCheck.ValidateAsync("health.schema.json", [json.Replace(",\"writeError\":\"No space left on device\"", "", StringComparison.Ordinal)]);
        Assert.NotEmpty(problems);
    }

    public void Dispose() => Directory.Delete(thermalRoot, recursive: true);

    private void Zone(int index, string type, string temp)
    {
        var zone = Directory.CreateDirectory(Path.Combine(thermalRoot, $"thermal_zone{index}")).FullName;
        File.WriteAllText(Path.Combine(zone, "type"), type + "\n");
        File.WriteAllText(Path.Combine(zone, "temp"), temp);
    }
}
