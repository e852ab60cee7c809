using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Articles;

/// <summary>
/// The article list at <c>/articles</c>: newest first, <see cref="ArticleCatalog.PageSize"/> a page
/// (<c>?page=N</c>), optionally filtered by a tag (<c>?tag=x</c>). A page past the end, a malformed page
/// number or a tag no article carries is a 404, so crawlers cannot mint endless empty pages.
/// </summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class IndexModel(MarkdownRenderer markdown) : SitePageModel
{
    public const string ListingSlug = "articles";

    public ListingPage Listing { get; private set; } = new();
    public IReadOnlyList<ArticleCard> Articles { get; private set; } = [];
    public int CurrentPage { get; private set; } = 1;
    public int PageCount { get; private set; } = 1;

    /// <summary>The active tag filter in the articles' own spelling, or null.</summary>
    public string? ActiveTag { get; private set; }

    public string Heading => string.IsNullOrEmpty(Listing.Heading) ? Listing.Title : Listing.Heading;

    public async Task<IActionResult> OnGetAsync([FromQuery] string? page, [FromQuery] string? tag, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Listing = Published.Get<ListingPage>(ListingSlug) ?? new ListingPage { Title = "Articles" };

        IEnumerable<PublishedContent> articles = ArticleCatalog.NewestFirst(Published);
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var wanted = tag.Trim();
            var tagged = articles.Where(item => ArticleCatalog.HasTag((Article)item.Document, wanted)).ToList();
            if (tagged.Count == 0)
            {
                return NotFound();
            }

            ActiveTag = ((Article)tagged[0].Document).Tags.First(candidate => string.Equals(candidate.Trim(), wanted, StringComparison.OrdinalIgnoreCase)).Trim();
            articles = tagged;
        }

        if (!TryParsePage(page, out var pageNumber))
        {
            return NotFound();
        }

        var all = articles.ToList();
        PageCount = Math.Max(1, (all.Count + ArticleCatalog.PageSize - 1) / ArticleCatalog.PageSize);
        if (pageNumber > PageCount)
        {
            return NotFound();
        }

        CurrentPage = pageNumber;
        Articles = [.. all.Skip((CurrentPage - 1) * ArticleCatalog.PageSize).Take(ArticleCatalog.PageSize)
            .Select(item => ArticleCatalog.Card(item, Published, markdown, headingLevel: 2))];

        Describe(PageTitle(), PageDescription(), PageUrl(CurrentPage));
        return Page();
    }

    /// <summary>The list's URL for a page number, keeping the tag filter; page 1 has no <c>page</c> parameter.</summary>
    public string PageUrl(int pageNumber)
    {
        var query = new List<string>(2);
        if (ActiveTag is not null)
        {
            query.Add("tag=" + Uri.EscapeDataString(ActiveTag.ToLowerInvariant()));
        }

        if (pageNumber > 1)
        {
            query.Add("page=" + pageNumber.ToString(CultureInfo.InvariantCulture));
        }

        return query.Count == 0 ? "/articles" : "/articles?" + string.Join("&", query);
    }

    /// <summary>
    /// The page numbers to link: the first, the last and two either side of the current one; null marks a gap.
    /// Keeps the pagination short however many articles there are.
    /// </summary>
    public IEnumerable<int?> PageLinks()
    {
        var previous = 0;
        for (var number = 1; number <= PageCount; number++)
        {
            if (number != 1 && number != PageCount && Math.Abs(number - CurrentPage) > 2)
            {
                continue;
            }

            if (number - previous > 1)
            {
                yield return null;
            }

            yield return number;
            previous = number;
        }
    }

    private static bool TryParsePage(string? value, out int pageNumber)
    {
        if (string.IsNullOrEmpty(value))
        {
            pageNumber = 1;
            return true;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out pageNumber) && pageNumber >= 1;
    }

    // Titles and descriptions differ per tag and page, so every listed URL has its own.
    private string PageTitle()
    {
        var title = ActiveTag is null ? Listing.Title : $"{Listing.Title} tagged “{ActiveTag}”";
        return CurrentPage > 1 ? $"{title} (page {CurrentPage} of {PageCount})" : title;
    }

    private string PageDescription()
    {
        var description = string.IsNullOrWhiteSpace(Listing.MetaDescription) ? Settings.MetaDescription : Listing.MetaDescription;
        if (ActiveTag is not null)
        {
            description = $"Articles tagged “{ActiveTag}”. {description}";
        }

        return CurrentPage > 1 ? $"Page {CurrentPage} of {PageCount}. {description}" : description;
    }
}
