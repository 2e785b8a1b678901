using EdgeEmotion.Tests;

namespace EdgeEmotion.EdgeAgent.Tests.Publishing.Mqtt;

/// <summary>
/// Validates message bodies against a schema in docs/schemas with Python's jsonschema (Debian's
/// python3-jsonschema, draft 2020-12): an independent validator, not our own reading of the schema.
/// </summary>
internal static class JsonSchemaCheck
{
    private const string Script = """
        import json, sys
        from jsonschema import Draft202012Validator
        schema = json.load(open(sys.argv[1]))
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        problems = 0
        with open(sys.argv[2]) as lines:
            for number, line in enumerate(lines):
                try:
                    instance = json.loads(line)
                except ValueError as e:
                    problems += 1
                    print(f"message {number}: not JSON: {e}")
                    continue
                for error in validator.iter_errors(instance):
                    problems += 1
                    path = "/".join(str(p) for p in error.absolute_path) or "(root)"
                    print(f"message {number}: {path}: {error.message}")
        sys.exit(1 if problems else 0)
        """;

    public static string SchemaPath(string name) => Path.Combine(TestPaths.RepoRoot, "docs", "schemas", name);

    /// <summary>One line per violation ("message 3: scores/valence: 'x' is not of type 'number'"); empty when all are valid.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string schemaName, IEnumerable<string> payloads)
    {
        var instances = Path.GetTempFileName();
        try
        {
            // Compact JSON has no raw newlines, so one message per line is unambiguous.
            await File.WriteAllLinesAsync(instances, payloads);
            var (code, stdout, stderr) = await PythonScript.RunAsync("-c", Script, SchemaPath(schemaName), instances);
            if (code is not (0 or 1))
            {
                throw new InvalidOperationException($"The schema check itself failed ({code}): {stderr}");
            }

            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            File.Delete(instances);
        }
    }
}
