using System.Runtime.CompilerServices;
using System.Text;

namespace Portfolio.Web.Data;

/// <summary>
/// Joins parameterised statements (interpolated strings, whose values EF sends as parameters) into one command,
/// so a write of several rows is one round trip to the database.
/// </summary>
public static class SqlBatch
{
    public static FormattableString Join(IReadOnlyList<FormattableString> statements)
    {
        ArgumentOutOfRangeException.ThrowIfZero(statements.Count);
        return Combine(statements, separator: ";\n", terminator: ";\n");
    }

    /// <summary>A statement followed by more SQL (a WHERE clause), each keeping its own values as parameters.</summary>
    public static FormattableString Append(FormattableString statement, FormattableString more) =>
        Combine([statement, more], separator: "\n", terminator: "");

    private static FormattableString Combine(IReadOnlyList<FormattableString> parts, string separator, string terminator)
    {
        var format = new StringBuilder();
        var arguments = new List<object?>();
        for (var i = 0; i < parts.Count; i++)
        {
            AppendRenumbered(format, parts[i].Format, arguments.Count);
            format.Append(i == parts.Count - 1 ? terminator : separator);
            arguments.AddRange(parts[i].GetArguments());
        }

        return FormattableStringFactory.Create(format.ToString(), [.. arguments]);
    }

    /// <summary>Copies a composite format, shifting each placeholder's index ({0}, {1:format}) by <paramref name="offset"/>.</summary>
    private static void AppendRenumbered(StringBuilder target, string format, int offset)
    {
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                target.Append(c).Append(c); // an escaped brace
                i++;
                continue;
            }

            if (c != '{')
            {
                target.Append(c);
                continue;
            }

            var end = format.IndexOf('}', i);
            var digits = i + 1;
            while (digits < end && char.IsAsciiDigit(format[digits]))
            {
                digits++;
            }

            if (end < 0 || digits == i + 1)
            {
                throw new FormatException($"Not a placeholder at {i}: {format}");
            }

            var index = int.Parse(format.AsSpan(i + 1, digits - i - 1), System.Globalization.CultureInfo.InvariantCulture);
            target.Append('{').Append(index + offset).Append(format, digits, end - digits).Append('}');
            i = end;
        }
    }
}
