using System.Text.RegularExpressions;

namespace EdgeEmotion.EdgeAgent.Tests.Docs;

/// <summary>One marked JSON example of a Markdown page: <c>&lt;!-- example NAME ... --&gt;</c> right above a json code block.</summary>
internal sealed record MarkdownExample(string Name, string Json, int Line);

/// <summary>Finds and rewrites the marked JSON examples of a Markdown page.</summary>
internal static partial class MarkdownExamples
{
    /// <summary>Every json code block, with the name of the marker right above it (null: unmarked).</summary>
    public static IReadOnlyList<(string? Name, string Json, int Line)> JsonBlocks(string markdown) =>
        JsonBlock().Matches(markdown)
            .Select(m => (m.Groups["name"].Success ? m.Groups["name"].Value : null, m.Groups["body"].Value, Line(markdown, m.Groups["body"].Index)))
            .ToList();

    public static IReadOnlyList<MarkdownExample> Marked(string markdown) =>
        JsonBlocks(markdown).Where(b => b.Name is not null).Select(b => new MarkdownExample(b.Name!, b.Json, b.Line)).ToList();

    /// <summary>The page with each marked block's body replaced by <paramref name="examples"/>' (blocks not named there stay).</summary>
    public static string Rewrite(string markdown, IReadOnlyDictionary<string, string> examples) =>
        JsonBlock().Replace(markdown, m =>
            m.Groups["name"].Success && examples.TryGetValue(m.Groups["name"].Value, out var json)
                ? m.Value[..(m.Groups["body"].Index - m.Index)] + json + m.Value[(m.Groups["body"].Index - m.Index + m.Groups["body"].Length)..]
                : m.Value);

    private static int Line(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    // An optional marker line, then ```json ... ``` (one JSON document, compact, on one line or more).
    [GeneratedRegex(@"(?:<!-- example (?<name>[a-z0-9-]+)[^\n]*-->\n)?```json\n(?<body>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
