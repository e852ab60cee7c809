using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Pages.Shared;

/// <summary>What a detail page does with the slug from its URL.</summary>
public abstract record SlugLookup
{
    private SlugLookup()
    {
    }

    /// <summary>A published item has exactly this slug: show it.</summary>
    public sealed record Found(PublishedContent Item) : SlugLookup;

    /// <summary>Only the slug's letter case is off (<c>/team/Talha</c>): send the visitor to the canonical URL.</summary>
    public sealed record WrongCase(string CanonicalUrl) : SlugLookup;

    public sealed record Missing : SlugLookup;

    /// <summary>
    /// Looks the slug up among published items of the type. Route regexes match without regard to case,
    /// while slugs are lower-case, so a mixed-case request is redirected rather than answered twice.
    /// </summary>
    public static SlugLookup Resolve<TDocument>(PublishedSnapshot published, string slug) where TDocument : IDocument
    {
        if (Slugs.IsValid(slug))
        {
            return published.Find<TDocument>(slug) is { } item ? new Found(item) : new Missing();
        }

        var lower = slug.ToLowerInvariant();
        return Slugs.IsValid(lower) && published.Find<TDocument>(lower) is { Url: { } url } ? new WrongCase(url) : new Missing();
    }
}
