using System.Globalization;
using EdgeEmotion.Runtime.Packs;

namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>What a label column holds: a continuous value scored by CCC, or a class level scored by accuracy.</summary>
public enum LabelKind
{
    Continuous,
    Level,
}

/// <summary>One label column bound to the pack output it scores; <see cref="Values"/> has null where a frame is unlabelled.</summary>
public sealed record LabelColumn(string Output, LabelKind Kind, IReadOnlyList<double?> Values);

/// <summary>
/// Binds a label file's columns to a pack's outputs and reads what each value means. A column
/// names a regression or probability output (<c>valence</c>), a class output (<c>pain_level</c>),
/// or is <c>level</c> for the pack's only class output. -5 is unlabelled in every column (as in
/// AffWild2), -1 too in a level column (AffWild2's expression files); a level is otherwise a
/// whole class number. A file of one label line labels the whole video (a BioVid sample's class).
/// </summary>
public static class LabelColumns
{
    public const double Unlabelled = -5;
    public const double UnlabelledLevel = -1;

    /// <exception cref="ArgumentException">A column names an output the pack lacks (a usage error: wrong labels for this pack).</exception>
    /// <exception cref="InvalidDataException">A value is not a label; the message names file:line.</exception>
    public static IReadOnlyList<LabelColumn> Bind(LabelFile file, PackManifest manifest, long frames)
    {
        var classOutputs = manifest.Outputs.Where(o => OutputKinds.IsClass(o.Kind)).ToList();
        var columns = new List<LabelColumn>();
        var perFile = file.Rows.Count == 1 && frames > 1;
        for (var c = 0; c < file.Columns.Count; c++)
        {
            var name = file.Columns[c];
            var output = manifest.Outputs.FirstOrDefault(o => o.Name == name)
                ?? (name == "level" && classOutputs.Count == 1 ? classOutputs[0] : null)
                ?? throw new ArgumentException(
                    $"labels file {file.Path}: column '{name}' is not an output of pack {manifest.Id} (it has {string.Join(", ", manifest.Outputs.Select(o => o.Name))}{(classOutputs.Count == 1 ? "; 'level' labels " + classOutputs[0].Name : "")})");
            var kind = OutputKinds.IsClass(output.Kind) ? LabelKind.Level : LabelKind.Continuous;
            var values = new double?[file.Rows.Count];
            for (var r = 0; r < file.Rows.Count; r++)
            {
                values[r] = Read(file, r, c, kind, output);
            }

            if (columns.Any(l => l.Output == output.Name))
            {
                throw new InvalidDataException($"labels file {file.Path}:1: two columns label {output.Name}");
            }

            columns.Add(new LabelColumn(output.Name, kind, perFile ? Enumerable.Repeat(values[0], (int)frames).ToArray() : values));
        }

        return columns;
    }

    private static double? Read(LabelFile file, int row, int column, LabelKind kind, OutputSpec output)
    {
        var value = file.Rows[row][column];
        if (value == Unlabelled || (kind == LabelKind.Level && value == UnlabelledLevel))
        {
            return null;
        }

        var where = $"labels file {file.Path}:{row + 2}: {file.Columns[column]}";
        if (kind == LabelKind.Level)
        {
            var classes = output.Classes?.Count ?? 0;
            if (value != Math.Floor(value) || value < 0 || value >= classes)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{where} {value} is not a level of {output.Name} (0 to {classes - 1}; -5 or -1 for unlabelled)"));
            }
        }
        else if ((output.Min is { } min && value < min) || (output.Max is { } max && value > max))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{where} {value} is outside {output.Name}'s range [{output.Min}, {output.Max}] (-5 for unlabelled)"));
        }

        return value;
    }
}
