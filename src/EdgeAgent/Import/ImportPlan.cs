using System.Text.Json.Nodes;
using EdgeEmotion.Runtime.Golden;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Import;

/// <summary>What an import will write, checked against the source folder before anything is written.</summary>
/// <param name="Source">The source folder, absolute.</param>
/// <param name="Manifest">The manifest JSON as written to the pack: the source's, with the computed <c>files</c> map.</param>
/// <param name="Files">Pack-relative path to sha256 of every referenced file, sorted.</param>
/// <param name="References">Where the manifest names each file (for error messages).</param>
/// <param name="LeftBehind">Files of the source folder the manifest does not reference (not copied).</param>
/// <param name="RecomputedFiles">The source manifest had a <c>files</c> map; it was replaced.</param>
internal sealed record ImportPlan(
    string Source,
    JsonObject Manifest,
    PackManifest Parsed,
    IReadOnlyDictionary<string, string> Files,
    IReadOnlyList<FileReference> References,
    IReadOnlyList<string> LeftBehind,
    bool RecomputedFiles);

/// <summary>A pack that was imported: where it is and how its models compared with their goldens.</summary>
internal sealed record ImportOutcome(string Output, ImportPlan Plan, IReadOnlyList<GoldenResult> Golden, bool Replaced);

/// <summary>
/// An import that cannot go ahead: every problem found, one line each. Nothing was written.
/// <see cref="Golden"/> holds the self-test results when that is what failed.
/// </summary>
internal sealed class PackImportException(IReadOnlyList<string> problems, bool isUsage = false, IReadOnlyList<GoldenResult>? golden = null)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>The command line is at fault (an --out that may not be replaced), not the folder's contents.</summary>
    public bool IsUsage { get; } = isUsage;

    public IReadOnlyList<GoldenResult> Golden { get; } = golden ?? [];
}
