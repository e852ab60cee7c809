using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Articles;

/// <summary>The published articles as the public pages list them: newest first, with their authors resolved.</summary>
public static class ArticleCatalog
{
    public const int PageSize = 6;

    /// <summary>Newest first by publication date; the slug breaks ties so the order is stable across requests.</summary>
    public static IReadOnlyList<PublishedContent> NewestFirst(PublishedSnapshot published) =>
        published.List<Article>()
            .OrderByDescending(item => ((Article)item.Document).PublishedOn)
            .ThenBy(item => item.Slug, StringComparer.Ordinal)
            .ToList();

    public static bool HasTag(Article article, string tag) =>
        article.Tags.Any(candidate => string.Equals(candidate.Trim(), tag, StringComparison.OrdinalIgnoreCase));

    public static ArticleCard Card(PublishedContent item, PublishedSnapshot published, MarkdownRenderer markdown, int headingLevel)
    {
        var article = (Article)item.Document;
        var author = string.IsNullOrEmpty(article.AuthorSlug) ? null : published.Get<ExpertProfile>(article.AuthorSlug);
        return new ArticleCard(item.Url ?? "/articles", article, author?.Name, markdown.ReadingMinutes(article.Body), headingLevel);
    }
}
