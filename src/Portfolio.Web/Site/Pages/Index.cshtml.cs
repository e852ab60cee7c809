using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Articles;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages;

/// <summary>The home page: the promise, principles, way of working, featured experts, a featured case study, services, latest articles.</summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class IndexModel(MarkdownRenderer markdown) : SitePageModel
{
    public const int LatestArticleCount = 3;

    public HomePage Home { get; private set; } = new();
    public IReadOnlyList<ExpertCard> Experts { get; private set; } = [];
    public IReadOnlyList<ServiceCard> Services { get; private set; } = [];
    /// <summary>The editor's pick, else the first published case study; null when none is published.</summary>
    public CaseStudyCard? FeaturedCaseStudy { get; private set; }
    public IReadOnlyList<ArticleCard> LatestArticles { get; private set; } = [];

    /// <summary>Straight to the expert's booking page when one expert is featured; otherwise the roster, to choose one.</summary>
    public string BookingUrl { get; private set; } = "/team";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Home = Published.Singleton<HomePage>() ?? new HomePage { Title = Settings.SiteName, HeroHeading = Settings.SiteName };

        var featured = FeaturedExperts();
        Experts = [.. featured.Select(item => ExpertCard.From(item, headingLevel: 3))];
        if (featured is [var only])
        {
            BookingUrl = only.Url + "/book";
        }

        var caseStudy = (Home.FeaturedCaseStudy.Length > 0 ? Published.Find<CaseStudy>(Home.FeaturedCaseStudy.Trim()) : null)
            ?? Published.List<CaseStudy>() switch { [var first, ..] => first, _ => null };
        FeaturedCaseStudy = caseStudy is null ? null : CaseStudyCard.From(caseStudy, headingLevel: 3);

        Services = [.. Published.List<Service>().Select(item => ServiceCard.From(item, headingLevel: 3))];
        LatestArticles = [.. ArticleCatalog.NewestFirst(Published).Take(LatestArticleCount)
            .Select(item => ArticleCatalog.Card(item, Published, markdown, headingLevel: 3))];

        Describe(Home.Title, Home.MetaDescription, "/");
        Meta.JsonLd.Add(Seo.JsonLd.Organization(Settings, AbsoluteUrl));
    }

    /// <summary>The editor's picks in their order (unknown or unpublished slugs are skipped); none picked shows everyone.</summary>
    private List<PublishedContent> FeaturedExperts()
    {
        if (Home.FeaturedExperts.Count == 0)
        {
            return [.. Published.List<ExpertProfile>()];
        }

        return [.. Home.FeaturedExperts
            .Distinct(StringComparer.Ordinal)
            .Select(slug => Published.Find<ExpertProfile>(slug))
            .OfType<PublishedContent>()];
    }
}
