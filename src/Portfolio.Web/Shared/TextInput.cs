using System.Text;
using System.Text.RegularExpressions;

namespace Portfolio.Web.Shared;

/// <summary>
/// Cleans what people type before it is validated or stored: trimmed, Unicode-normalised (NFC),
/// control characters removed (a multi-line field keeps its line breaks as <c>\n</c>).
/// </summary>
public static partial class TextInput
{
    public static string Clean(string? value, bool multiline = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // Normalize throws on what is not a character: half a surrogate pair (a pair cut in two) and the
        // noncharacters U+FFFE, U+FFFF, U+FDD0–U+FDEF (the fuzz test sent both to the booking form): drop them first.
        var normalized = WithoutNonCharacters(value).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (c == '\n')
            {
                builder.Append(multiline ? '\n' : ' ');
            }
            else if (c == '\t')
            {
                builder.Append(' ');
            }
            else if (!char.IsControl(c) && c is not '\u200B' and not '\u2028' and not '\u2029' and not '\uFEFF')
            {
                builder.Append(c);
            }
        }

        var cleaned = builder.ToString().Trim();
        return multiline ? ExcessBlankLines().Replace(cleaned, "\n\n") : MultipleSpaces().Replace(cleaned, " ");
    }

    private static string WithoutNonCharacters(string value)
    {
        if (!value.Any(c => char.IsSurrogate(c) || c >= '\uFDD0'))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            // An invalid sequence (a lone surrogate) decodes as an error and is skipped, one UTF-16 unit at a time.
            var status = Rune.DecodeFromUtf16(rest, out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done && !IsNonCharacter(rune.Value))
            {
                builder.Append(rest[..consumed]);
            }

            rest = rest[consumed..];
        }

        return builder.ToString();
    }

    /// <summary>Unicode's 66 noncharacters: U+FDD0–U+FDEF and the last two code points of every plane.</summary>
    private static bool IsNonCharacter(int codePoint) => codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    public static string? CleanOptional(string? value, bool multiline = false) =>
        Clean(value, multiline) is { Length: > 0 } cleaned ? cleaned : null;

    /// <summary>A real-looking address: one @, a dotted domain, no spaces or quotes, at most 254 characters.</summary>
    public static bool IsEmail(string value)
    {
        if (value.Length is < 6 or > 254 || !EmailShape().IsMatch(value))
        {
            return false;
        }

        return MimeKit.MailboxAddress.TryParse(value, out var address) && address.Address == value;
    }

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ExcessBlankLines();

    [GeneratedRegex(@" {2,}")]
    private static partial Regex MultipleSpaces();
}

/// <summary>Collects field errors under the names clients sent (camelCase), for ValidationProblem answers.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public void Required(string field, string value, string label, int maxLength, int minLength = 1)
    {
        var length = CharacterCount(value);
        if (length == 0)
        {
            Add(field, $"Enter {label}.");
        }
        else if (length < minLength)
        {
            Add(field, $"{Capitalize(label)} must be at least {minLength} characters.");
        }
        else if (length > maxLength)
        {
            Add(field, $"{Capitalize(label)} must be at most {maxLength} characters.");
        }
    }

    public void Optional(string field, string? value, string label, int maxLength)
    {
        if (value is not null && CharacterCount(value) > maxLength)
        {
            Add(field, $"{Capitalize(label)} must be at most {maxLength} characters.");
        }
    }

    /// <summary>
    /// Characters as the database counts them (code points: SQLite's and PostgreSQL's length(), varchar(n)),
    /// not UTF-16 units: five emoji are five characters, and must fail a 10-character minimum here rather
    /// than pass it and then break a check constraint.
    /// </summary>
    public static int CharacterCount(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    public void Email(string field, string value)
    {
        if (value.Length == 0)
        {
            Add(field, "Enter your e-mail address.");
        }
        else if (!TextInput.IsEmail(value))
        {
            Add(field, "Enter an e-mail address like name@example.com.");
        }
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    private static string Capitalize(string label) => label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];
}
