using System.Text;
using System.Text.Json.Nodes;
using EdgeEmotion.EdgeAgent.Publishing;
using EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;
using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Docs;

/// <summary>
/// docs/mqtt.md's JSON examples: every one is marked with its name, fits its schema in
/// docs/schemas, and the generated ones have the keys, types and words of what the agent publishes
/// today (<see cref="MqttExampleRuns"/>). Numbers, timestamps, the agent's version and the machine's
/// thermal zones may differ from run to run; nothing else may.
/// </summary>
public sealed class MqttDocExamplesTests
{
    /// <summary>Set to 1 to rewrite docs/mqtt.md's generated examples from a fresh run (make docs-examples).</summary>
    public const string RewriteVariable = "EDGEEMO_WRITE_DOC_EXAMPLES";

    private const string HowToRegenerate =
        "Regenerate docs/mqtt.md's examples with `make docs-examples` (that is: " + RewriteVariable + "=1 dotnet test tests/EdgeAgent.Tests -c Release --filter FullyQualifiedName~MqttDocExamples) and review the diff.";

    // Written by hand (an OTA round trip needs a fleet server): checked against the schema or the device's parser only.
    private static readonly HashSet<string> HandWritten = new(["ota-request", "ota-status-rolled-back"], StringComparer.Ordinal);

    private static string PagePath => Path.Combine(TestPaths.RepoRoot, "docs", "mqtt.md");

    [Fact]
    public async Task Every_json_example_is_marked_and_fits_its_schema()
    {
        var blocks = MarkdownExamples.JsonBlocks(File.ReadAllText(PagePath));

        Assert.All(blocks, b => Assert.True(b.Name is not null, $"docs/mqtt.md line {b.Line}: a JSON example without an '<!-- example NAME -->' marker above it. {HowToRegenerate}"));
        var examples = blocks.Select(b => new MarkdownExample(b.Name!, b.Json, b.Line)).ToList();
        Assert.Equal(examples.Count, examples.Select(e => e.Name).Distinct().Count());
        Assert.Empty(await SchemaProblemsAsync(examples));
    }

    [Fact]
    public async Task The_generated_examples_are_what_the_agent_publishes_now()
    {
        var page = File.ReadAllText(PagePath);
        var generated = await MqttExampleRuns.GenerateAsync();
        Assert.Empty(await SchemaProblemsAsync(generated.Select(g => new MarkdownExample(g.Key, g.Value, 0))));

        if (Environment.GetEnvironmentVariable(RewriteVariable) == "1")
        {
            var missing = generated.Keys.Except(MarkdownExamples.Marked(page).Select(e => e.Name)).ToList();
            Assert.True(missing.Count == 0, $"docs/mqtt.md has no marked block for {string.Join(", ", missing)}: add '<!-- example NAME -->' and an empty json block where it belongs.");
            File.WriteAllText(PagePath, MarkdownExamples.Rewrite(page, generated));
            return;
        }

        var documented = MarkdownExamples.Marked(page).Where(e => !HandWritten.Contains(e.Name)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var problems = new StringBuilder();
        foreach (var name in documented.Keys.Union(generated.Keys).Order(StringComparer.Ordinal))
        {
            if (!documented.TryGetValue(name, out var example))
            {
                problems.AppendLine($"'{name}' is generated but docs/mqtt.md has no block marked with it.");
            }
            else if (!generated.TryGetValue(name, out var fresh))
            {
                problems.AppendLine($"'{name}' (docs/mqtt.md line {example.Line}) is not an example the generator makes.");
            }
            else if (ExampleShape.Of(example.Json) is var was && ExampleShape.Of(fresh) is var now && was != now)
            {
                problems.AppendLine($"'{name}' (docs/mqtt.md line {example.Line}) differs from what the agent publishes now:");
                problems.AppendLine($"  docs: {was}");
                problems.AppendLine($"  now:  {now}");
            }
        }

        Assert.True(problems.Length == 0, problems + HowToRegenerate);
    }

    [Fact]
    public void The_shape_keeps_keys_words_and_types_and_drops_what_varies()
    {
        var a = ExampleShape.Of("""{"seq":3,"producedAt":"2026-11-22T14:47:07.132Z","status":"ok","latencyMs":{"total":12.5},"agentVersion":"1.0.0+abc","temperaturesC":{"CPU-therm":48.5}}""");
        var b = ExampleShape.Of("""{"seq":9,"producedAt":"2026-12-07T06:00:00.000Z","status":"ok","latencyMs":{"total":3},"agentVersion":"1.0.1+def","temperaturesC":{}}""");

        Assert.Equal(a, b);
        Assert.NotEqual(a, ExampleShape.Of("""{"seq":3,"producedAt":"2026-11-22T14:47:07.132Z","status":"degraded","latencyMs":{"total":12.5},"agentVersion":"1.0.0+abc","temperaturesC":{}}"""));
        Assert.NotEqual(a, ExampleShape.Of("""{"seq":3,"producedAt":"2026-11-22T14:47:07.132Z","status":"ok","latencyMs":{"fusion":12.5},"agentVersion":"1.0.0+abc","temperaturesC":{}}"""));
    }

    private static async Task<List<string>> SchemaProblemsAsync(IEnumerable<MarkdownExample> examples)
    {
        var problems = new List<string>();
        foreach (var group in examples.GroupBy(e => SchemaOf(e.Name)))
        {
            var list = group.ToList();
            if (group.Key is null)
            {
                // Inbound (fleet -> device): what matters is that the device reads it.
                problems.AddRange(list.Where(e => PublishingJson.DeserializeOtaRequest(Encoding.UTF8.GetBytes(e.Json)) is null).Select(e => $"'{e.Name}': the device cannot read it"));
                continue;
            }

            var found = await JsonSchemaCheck.ValidateAsync(group.Key, list.Select(e => JsonNode.Parse(e.Json)!.ToJsonString()));
            problems.AddRange(found.Select(p => $"{group.Key}: {p} (message n = the n-th of {string.Join(", ", list.Select(e => $"'{e.Name}' line {e.Line}"))})"));
        }

        return problems;
    }

    // The example's name says which topic (and so which schema) it shows.
    private static string? SchemaOf(string name) => name switch
    {
        _ when name.StartsWith("scores-", StringComparison.Ordinal) => "scores.schema.json",
        _ when name.StartsWith("status-", StringComparison.Ordinal) => "status.schema.json",
        _ when name.StartsWith("health", StringComparison.Ordinal) => "health.schema.json",
        _ when name.StartsWith("ota-status", StringComparison.Ordinal) => "ota-status.schema.json",
        "ota-request" => null,
        _ => throw new InvalidOperationException($"docs/mqtt.md example '{name}': no schema for this name (scores-*, status-*, health*, ota-status*, ota-request)"),
    };
}
