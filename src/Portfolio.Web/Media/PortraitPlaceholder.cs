using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portfolio.Web.Media;

/// <summary>
/// The portrait shown until an editor uploads an expert's photo: a head-and-shoulders silhouette on the brand teal
/// with the initials, as a small SVG at <c>/media/portrait/{initials}.svg</c> (one or two capital letters). Made
/// here, never from an upload, so serving SVG is safe; the URL is the whole input, so it is cached for a year.
/// </summary>
public static partial class PortraitPlaceholder
{
    public const string Prefix = "/media/portrait/";

    public static string UrlFor(string name) => Prefix + Uri.EscapeDataString(InitialsOf(name)) + ".svg";

    /// <summary>"Amira Haddad" → "AH", "Talha" → "T"; letters only, so the URL is always one the endpoint serves.</summary>
    public static string InitialsOf(string name)
    {
        var letters = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(word => word.FirstOrDefault(char.IsLetter))
            .Where(letter => letter != default)
            .Select(letter => char.ToUpperInvariant(letter))
            .ToList();
        return letters.Count switch
        {
            0 => "X",
            1 => letters[0].ToString(),
            _ => string.Concat(letters[0], letters[^1]),
        };
    }

    public static bool IsInitials(string? text) => text is not null && InitialsPattern().IsMatch(text);

    public static string Svg(string initials)
    {
        var text = new StringBuilder();
        foreach (var c in initials)
        {
            // Letters only (IsInitials), but written as character references so no markup can ever reach the SVG.
            text.Append(CultureInfo.InvariantCulture, $"&#{(int)c};");
        }

        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 160" width="160" height="160"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0f766e"/><stop offset="1" stop-color="#134e4a"/></linearGradient></defs><rect width="160" height="160" fill="url(#g)"/><circle cx="80" cy="66" r="30" fill="#14b8a6" fill-opacity=".35"/><path d="M22 160c4-34 28-52 58-52s54 18 58 52Z" fill="#14b8a6" fill-opacity=".35"/><text x="80" y="92" text-anchor="middle" font-family="Manrope,system-ui,-apple-system,'Segoe UI',sans-serif" font-size="46" font-weight="700" letter-spacing="1" fill="#f0fdfa">{text}</text></svg>
            """;
    }

    [GeneratedRegex("^\\p{Lu}{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex InitialsPattern();
}
