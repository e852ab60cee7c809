using System.Globalization;
using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Pages.Shared;

/// <summary>What <c>_ExpertCard</c> shows: one expert of the roster.</summary>
public sealed record ExpertCard(string Url, ExpertProfile Expert, int HeadingLevel)
{
    public static ExpertCard From(PublishedContent item, int headingLevel) =>
        new(item.Url ?? "/team", (ExpertProfile)item.Document, headingLevel);
}

/// <summary>What <c>_ServiceCard</c> shows: one service.</summary>
public sealed record ServiceCard(string Url, Service Service, int HeadingLevel)
{
    public static ServiceCard From(PublishedContent item, int headingLevel) =>
        new(item.Url ?? "/services", (Service)item.Document, headingLevel);
}

/// <summary>What <c>_ArticleCard</c> shows: one article with its author's name and reading time.</summary>
public sealed record ArticleCard(string Url, Article Article, string? AuthorName, int ReadingMinutes, int HeadingLevel);

/// <summary>Formatting shared by the public pages, so dates and initials look the same everywhere.</summary>
public static class Display
{
    /// <summary>"22 November 2026": unambiguous for readers anywhere.</summary>
    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The machine-readable form for <c>&lt;time datetime&gt;</c>.</summary>
    public static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"365 days", "1 day": the retention periods of the privacy notice.</summary>
    public static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    public static string Hours(int hours) => hours == 1 ? "1 hour" : $"{hours} hours";

    /// <summary>Two-digit step numbers ("01", "02"), as the methodology is presented.</summary>
    public static string StepNumber(int index) => (index + 1).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>Initials shown in place of a missing photo: "Amira Haddad" → "AH", "Talha" → "T".</summary>
    public static string Initials(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length switch
        {
            0 => "?",
            1 => words[0][..1].ToUpperInvariant(),
            _ => string.Concat(words[0][..1], words[^1][..1]).ToUpperInvariant(),
        };
    }

    /// <summary>Plain-text fields (FAQ answers, notes) split into paragraphs at blank lines.</summary>
    public static IEnumerable<string> Paragraphs(string text) =>
        text.ReplaceLineEndings("\n")
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The link that filters the article list by a tag.</summary>
    public static string TagUrl(string tag) => "/articles?tag=" + Uri.EscapeDataString(tag.Trim().ToLowerInvariant());
}
