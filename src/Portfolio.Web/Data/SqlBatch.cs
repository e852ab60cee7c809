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
        var format = new StringBuilder();
        var arguments = new List<object?>();
        foreach (var statement in statements)
        {
            AppendRenumbered(format, statement.Format, arguments.Count);
            format.Append(";\n");
            arguments.AddRange(statement.GetArguments());
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
