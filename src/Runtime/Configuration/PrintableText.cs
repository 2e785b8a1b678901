using System.Globalization;
using System.Text;

namespace EdgeEmotion.Runtime.Configuration;

/// <summary>
/// Text from outside (a file name in a bundle, an MQTT request's id) as it may appear in a log line,
/// an error message or a status field: control, format and line-separator characters written as
/// <c>\uXXXX</c> (a backslash as <c>\\</c>), so one value is one line that cannot forge another or
/// reorder what a terminal shows; cut to a length with "..." marking the cut.
/// </summary>
public static class PrintableText
{
    public static string Escape(string text, int maxLength = 120)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                return builder.Append("...").ToString();
            }

            if (c == '\\')
            {
                builder.Append(@"\\");
            }
            else if (NeedsEscape(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>True when the text would be changed by <see cref="Escape"/> apart from length.</summary>
    public static bool HasUnprintable(string text) => text.Any(c => c == '\\' || NeedsEscape(c));

    private static bool NeedsEscape(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
}
