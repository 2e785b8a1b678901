using System.CommandLine;
using System.CommandLine.Parsing;
using EdgeEmotion.Runtime.Configuration;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// What a command line the parser refused gets: the error first, in the user's words (the
/// option meant for a misspelt one, the format a value needs), then one line pointing at the
/// command's help, instead of the whole help text.
/// </summary>
internal static class UsageErrors
{
    public static void Write(ParseResult parse, TextWriter error)
    {
        foreach (var line in Describe(parse))
        {
            error.WriteLine($"error: {line}");
        }

        error.WriteLine($"Run '{CommandPath(parse.CommandResult)} --help' for usage.");
    }

    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        // The first token nobody took is the mistake; the parser's other complaints (a value left
        // over, a command "not provided") follow from it.
        if (parse.UnmatchedTokens.Count > 0)
        {
            return [Unmatched(parse.CommandResult, parse.UnmatchedTokens[0])];
        }

        return parse.Errors.Select(Describe).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Describe(ParseError error) => error.SymbolResult switch
    {
        CommandResult { Command: { Subcommands.Count: > 0, Action: null } } command =>
            $"'{CommandPath(command)}' needs a command: {string.Join(", ", Visible(command.Command.Subcommands).Select(c => c.Name))}",
        ArgumentResult argument when BadValue(argument, error) is { } message => message,
        OptionResult option when BadValue(option, error) is { } message => message,
        _ => error.Message,
    };

    // The parser names the .NET type a value failed to convert to; say what the value should look like.
    private static string? BadValue(SymbolResult result, ParseError error)
    {
        var (name, type) = result switch
        {
            ArgumentResult { Parent: OptionResult option } => (option.Option.Name, option.Option.ValueType),
            ArgumentResult argument => ($"<{argument.Argument.Name}>", argument.Argument.ValueType),
            OptionResult option => (option.Option.Name, option.Option.ValueType),
            _ => ("", typeof(string)),
        };
        var element = type.IsArray ? type.GetElementType()! : type;
        if (!error.Message.Contains(type.ToString(), StringComparison.Ordinal) && !error.Message.Contains(element.ToString(), StringComparison.Ordinal))
        {
            return null;
        }

        var format = ValueFormat.Describe(element) ?? "another kind of value";
        var token = result.Tokens.FirstOrDefault(t => !t.Value.StartsWith('-'))?.Value ?? (result.Tokens.Count > 0 ? result.Tokens[^1].Value : null);
        return token is null ? $"{name}: expected {format}" : $"{name}: '{token}' is not {format}";
    }

    private static string Unmatched(CommandResult command, string token)
    {
        var path = CommandPath(command);
        if (token.StartsWith('-'))
        {
            var name = token.Split('=', 2)[0];
            var options = OptionsOf(command).SelectMany(o => o.Aliases.Prepend(o.Name));
            return Closest(name, options) is { } meant
                ? $"unknown option '{name}' for '{path}'; did you mean '{meant}'?"
                : $"unknown option '{name}' for '{path}'";
        }

        var subcommands = Visible(command.Command.Subcommands).Select(c => c.Name).ToList();
        if (subcommands.Count == 0)
        {
            return $"unexpected argument '{token}' for '{path}'";
        }

        return Closest(token, subcommands) is { } closest
            ? $"unknown command '{token}' for '{path}'; did you mean '{closest}'?"
            : $"unknown command '{token}' for '{path}' (commands: {string.Join(", ", subcommands)})";
    }

    /// <summary>The options valid on a command: its own and the recursive ones of its parents (--help).</summary>
    private static IEnumerable<Option> OptionsOf(CommandResult command)
    {
        var own = command.Command.Options.Where(o => !o.Hidden);
        return command.Parent is CommandResult parent ? own.Concat(OptionsOf(parent).Where(o => o.Recursive)) : own;
    }

    private static IEnumerable<Command> Visible(IEnumerable<Command> commands) => commands.Where(c => !c.Hidden);

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult current; result = current.Parent)
        {
            // The root's own name is the host process's (testhost under a test runner).
            names.Add(current.Parent is null ? "edgeemo" : current.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The candidate a typo most likely meant: fewest single-character edits, at most a third of the word.</summary>
    private static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var word = typed.TrimStart('-');
        return candidates
            .Select(c => (Name: c, Distance: EditDistance(word, c.TrimStart('-'))))
            .Where(c => c.Distance <= Math.Max(1, word.Length / 3))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    // Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours cost 1.
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
