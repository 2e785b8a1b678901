using System.Globalization;

namespace EdgeEmotion.EdgeAgent.Evaluation;

/// <summary>
/// A per-frame label file as AffWild2 ships them: a header naming the columns
/// (<c>valence,arousal</c>, or <c>level</c> for pain), then one line per frame of the video.
/// Parsing only checks the text (every value a finite number, as many as the header names);
/// what a value means (-5 unlabelled, a level in range) is <see cref="LabelColumns"/>'s job.
/// </summary>
public sealed class LabelFile
{
    private LabelFile(string path, IReadOnlyList<string> columns, IReadOnlyList<double[]> rows)
    {
        Path = path;
        Columns = columns;
        Rows = rows;
    }

    public string Path { get; }

    /// <summary>The header's names, trimmed and lower case.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>One array per data line, a value per column; row r is on line r + 2 of the file.</summary>
    public IReadOnlyList<double[]> Rows { get; }

    /// <exception cref="InvalidDataException">The file is empty, its header is not a list of names, or a line is not numbers; the message names file:line.</exception>
    public static LabelFile Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new InvalidDataException($"labels file {path} is empty: expected a header such as 'valence,arousal' or 'level', then one line per frame");
        }

        var columns = header.Split(',').Select(c => c.Trim().ToLowerInvariant()).ToList();
        if (columns.Any(c => c.Length == 0 || !char.IsLetter(c[0])))
        {
            throw new InvalidDataException($"labels file {path}:1: the header '{header.Trim()}' is not a list of output names such as 'valence,arousal' or 'level'");
        }

        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Count)
        {
            throw new InvalidDataException($"labels file {path}:1: the header '{header.Trim()}' names a column twice");
        }

        var rows = new List<double[]>();
        var lineNumber = 1;
        int? blank = null;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                blank ??= lineNumber; // trailing empty lines are not frames
                continue;
            }

            if (blank is { } empty)
            {
                // Skipping it would shift every later label onto the wrong frame.
                throw new InvalidDataException($"labels file {path}:{empty}: an empty line among the labels (write -5 for an unlabelled frame)");
            }

            var cells = line.Split(',');
            if (cells.Length != columns.Count)
            {
                throw new InvalidDataException($"labels file {path}:{lineNumber}: {cells.Length} values, but the header names {columns.Count} ({string.Join(",", columns)})");
            }

            var row = new double[cells.Length];
            for (var c = 0; c < cells.Length; c++)
            {
                var cell = cells[c].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new InvalidDataException($"labels file {path}:{lineNumber}: {columns[c]} '{cell}' is not a number");
                }

                if (!double.IsFinite(value))
                {
                    throw new InvalidDataException($"labels file {path}:{lineNumber}: {columns[c]} '{cell}' is not a finite number (write -5 for an unlabelled frame)");
                }

                row[c] = value;
            }

            rows.Add(row);
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"labels file {path} has a header but no labels");
        }

        return new LabelFile(path, columns, rows);
    }
}
