using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Articles;

/// <summary>One article at <c>/articles/{slug}</c>; 404 when no published article has the slug.</summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class DetailModel(MarkdownRenderer markdown, Portfolio.Web.Media.MediaLookup media) : SitePageModel
{
    public const int MoreArticleCount = 3;

    public Article Article { get; private set; } = new();
    public string ArticleUrl { get; private set; } = "";
    public HtmlString Body { get; private set; } = HtmlString.Empty;
    public int ReadingMinutes { get; private set; }
    public ExpertProfile? Author { get; private set; }
    /// <summary>The article image's alt text: the article's own, else the library's.</summary>
    public string ImageAlt { get; private set; } = "";
    public string? AuthorUrl { get; private set; }
    public IReadOnlyList<ArticleCard> MoreArticles { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        var lookup = SlugLookup.Resolve<Article>(Published, slug);
        if (lookup is SlugLookup.WrongCase wrongCase)
        {
            return RedirectPermanent(wrongCase.CanonicalUrl);
        }

        if (lookup is not SlugLookup.Found { Item: { Document: Article article } item })
        {
            return NotFound();
        }

        Article = article;
        ArticleUrl = item.Url ?? "/articles/" + slug;
        Body = markdown.Render(article.Body);
        ReadingMinutes = markdown.ReadingMinutes(article.Body);
        if (!string.IsNullOrEmpty(article.AuthorSlug) && Published.Find<ExpertProfile>(article.AuthorSlug) is { Document: ExpertProfile author } authorItem)
        {
            Author = author;
            AuthorUrl = authorItem.Url;
        }

        MoreArticles = [.. ArticleCatalog.NewestFirst(Published)
            .Where(other => other.Key != item.Key)
            .Take(MoreArticleCount)
            .Select(other => ArticleCatalog.Card(other, Published, markdown, headingLevel: 3))];

        Describe(article.Title, string.IsNullOrWhiteSpace(article.MetaDescription) ? article.Summary : article.MetaDescription, ArticleUrl, "article");
        Meta.ImageUrl = article.ImageUrl;
        ImageAlt = !string.IsNullOrWhiteSpace(article.ImageAlt) ? article.ImageAlt
            : (await media.FindAsync(article.ImageUrl, cancellationToken))?.AltText ?? "";
        Meta.JsonLd.Add(Seo.JsonLd.Article(article, item, Author, AuthorUrl, Settings, AbsoluteUrl));
        return Page();
    }
}
