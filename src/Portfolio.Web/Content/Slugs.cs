using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portfolio.Web.Content;

/// <summary>URL slugs: lower-case ASCII letters, digits and single hyphens.</summary>
public static partial class Slugs
{
    public const int MaxLength = 200;

    public static bool IsValid(string? slug) =>
        !string.IsNullOrEmpty(slug) && slug.Length <= MaxLength && ValidSlug().IsMatch(slug);

    /// <summary>The most levels a page path may have (<c>a/b/c/d</c>).</summary>
    public const int MaxPathSegments = 4;

    /// <summary>A page path: slugs joined by single slashes, no leading or trailing slash (<c>legal/privacy-notice</c>).</summary>
    public static bool IsValidPath(string? path) =>
        !string.IsNullOrEmpty(path) && path.Length <= MaxLength && path.Split('/') is var segments &&
        segments.Length <= MaxPathSegments && segments.All(segment => ValidSlug().IsMatch(segment));

    /// <summary>Why a slug is not valid for items of <paramref name="type"/>, or null when it is.</summary>
    public static string? Problem(DocumentTypeInfo type, string? slug) => type.SlugIsPath
        ? IsValidPath(slug) ? null : $"Use lower-case letters, digits and single hyphens, with / between levels (at most {MaxPathSegments}), e.g. 'about' or 'legal/privacy-notice'."
        : IsValid(slug) ? null : "Use lower-case letters, digits and single hyphens, e.g. 'backend-architecture'.";

    /// <summary>Makes a slug from a title: "Élan &amp; Scale!" → "elan-scale".</summary>
    public static string From(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        var slug = Hyphens().Replace(builder.ToString(), "-").Trim('-');
        return slug.Length > MaxLength ? slug[..MaxLength].TrimEnd('-') : slug;
    }

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex ValidSlug();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Hyphens();
}
