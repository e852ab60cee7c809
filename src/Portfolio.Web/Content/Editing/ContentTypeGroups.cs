using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

namespace Portfolio.Web.Content.Editing;

/// <summary>How the content tree names and orders the document types: what editors look for most comes first.</summary>
public static class ContentTypeGroups
{
    private static readonly (string Alias, string Plural)[] Known =
    [
        ("expertProfile", "Expert profiles"),
        ("service", "Services"),
        ("article", "Articles"),
        ("page", "Pages"),
        ("caseStudy", "Case studies"),
        ("homePage", "Home page"),
        ("listingPage", "Listing pages (team, services, articles, case studies)"),
        ("engineeringPage", "Engineering page"),
        ("contactPage", "Contact page"),
        ("siteSettings", "Site settings"),
    ];

    /// <summary>Every document type, known ones in the order above, any new ones after them by alias.</summary>
    public static IReadOnlyList<DocumentTypeInfo> Ordered { get; } =
    [
        .. Known.Where(known => DocumentTypeRegistry.ByAlias.ContainsKey(known.Alias)).Select(known => DocumentTypeRegistry.ByAlias[known.Alias]),
        .. DocumentTypeRegistry.ByAlias.Values.Where(type => Known.All(known => known.Alias != type.Alias)).OrderBy(type => type.Alias, StringComparer.Ordinal),
    ];

    public static string Plural(DocumentTypeInfo type) =>
        Known.FirstOrDefault(known => known.Alias == type.Alias).Plural ?? BackofficeText.Humanize(type.Alias);

    public static string Singular(DocumentTypeInfo type) => BackofficeText.Humanize(type.Alias).ToLowerInvariant();
}
