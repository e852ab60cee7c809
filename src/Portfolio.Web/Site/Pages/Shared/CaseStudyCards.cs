using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Pages.Shared;

/// <summary>What <c>_CaseStudyCard</c> shows: one case study.</summary>
public sealed record CaseStudyCard(string Url, CaseStudy CaseStudy, int HeadingLevel)
{
    public static CaseStudyCard From(PublishedContent item, int headingLevel) =>
        new(item.Url ?? "/case-studies", (CaseStudy)item.Document, headingLevel);
}

/// <summary>Which published case studies involve an expert or a service: what their pages link to.</summary>
public static class CaseStudyLinks
{
    public static IReadOnlyList<PublishedContent> InvolvingExpert(PublishedSnapshot published, string expertSlug) =>
        published.List<CaseStudy>().Where(item => ((CaseStudy)item.Document).Experts.Contains(expertSlug, StringComparer.Ordinal)).ToList();

    public static IReadOnlyList<PublishedContent> UsingService(PublishedSnapshot published, string serviceSlug) =>
        published.List<CaseStudy>().Where(item => ((CaseStudy)item.Document).Services.Contains(serviceSlug, StringComparer.Ordinal)).ToList();

    /// <summary>The named ones in the given order (unpublished or unknown slugs skipped), or all when none is named.</summary>
    public static IReadOnlyList<PublishedContent> Chosen<TDocument>(PublishedSnapshot published, IReadOnlyList<string> slugs) where TDocument : IDocument =>
        slugs.Count == 0
            ? published.List<TDocument>()
            : slugs.Select(slug => published.Find<TDocument>(slug.Trim())).OfType<PublishedContent>().DistinctBy(item => item.Key).ToList();
}
