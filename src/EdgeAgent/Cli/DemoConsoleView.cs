using System.Globalization;
using EdgeEmotion.Runtime.Packs;
using EdgeEmotion.Runtime.Streaming;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// The demo's console: one line per output with its time, seq, status, scores, each modality's
/// state and latency, in columns under a header. An output of named classes shows its top class
/// and the runner-up with their probabilities ("neutral 0.71 happy 0.29"), so a change of
/// expression shows before it takes the top.
/// </summary>
internal sealed class DemoConsoleView(TextWriter output, PackManifest manifest)
{
    private readonly Column[] columns = [.. manifest.Outputs.Select(Column.Of)];

    public void WriteHeader() =>
        output.WriteLine($"{"clip end",8} {"seq",6} {"status",-9} {string.Join(' ', columns.Select(c => c.Header))}  {string.Join(' ', manifest.Modalities.Select(m => $"{m.Name,-18}"))} {"ms",6}");

    public void Write(ScoreOutput o, long sequence)
    {
        var scores = string.Join(' ', columns.Select(c => c.Cell(o.Scores?.FirstOrDefault(s => s.Name == c.Name))));
        var modalities = string.Join(' ', manifest.Modalities.Select(m => $"{Describe(o.Modalities[m.Name]),-18}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.ClipEnd.TotalSeconds,7:0.00}s {sequence,6} {o.Status,-9} {scores}  {modalities} {o.Latency.TotalMs,6:0.0}"));
    }

    private static string Describe(ModalityReport r) => r.State switch
    {
        ModalityState.Ok => "ok",
        ModalityState.Held => string.Create(CultureInfo.InvariantCulture, $"held {r.HeldFor?.TotalSeconds:0.0}s"),
        ModalityState.Imagined => $"imag. ({r.Reason})",
        _ => $"subst. ({r.Reason})",
    };

    /// <summary>One output's column: a value (10 wide), a level with its probability (11), or the top two named classes.</summary>
    private sealed record Column(string Name, int Width, IReadOnlyList<string>? Classes)
    {
        public static Column Of(OutputSpec output) => output switch
        {
            { Kind: OutputKinds.ClassProbabilities, Classes: { Count: > 1 } classes } =>
                // The two longest names, a space and "0.00" after each, and a space between them.
                new Column(output.Name, classes.Select(c => c.Length).OrderDescending().Take(2).Sum() + 11, classes),
            _ when OutputKinds.IsClass(output.Kind) => new Column(output.Name, 11, null),
            _ => new Column(output.Name, 10, null),
        };

        public string Header => Classes is null ? Short.PadLeft(Width) : Short.PadRight(Width);

        private string Short => Name.Length > Width ? Name[..Width] : Name;

        public string Cell(ScoreValue? score)
        {
            if (score is null)
            {
                return Classes is null ? "-".PadLeft(Width) : "-".PadRight(Width);
            }

            if (Classes is not null && score is { Level: { } top, Probabilities: { } p })
            {
                var second = Enumerable.Range(0, p.Count).Where(i => i != top).MaxBy(i => p[i]);
                return string.Create(CultureInfo.InvariantCulture, $"{Classes[top]} {p[top]:0.00} {Classes[second]} {p[second]:0.00}").PadRight(Width);
            }

            return score.Level is { } level
                ? string.Create(CultureInfo.InvariantCulture, $"{level,4} ({score.Value:0.00})")
                : string.Create(CultureInfo.InvariantCulture, $"{score.Value,10:+0.000;-0.000;0.000}");
        }
    }
}
