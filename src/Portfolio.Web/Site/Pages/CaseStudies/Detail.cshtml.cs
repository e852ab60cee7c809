using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.CaseStudies;

/// <summary>One case study at <c>/case-studies/{slug}</c>, with links to the experts and services involved; 404 when unpublished.</summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class DetailModel(MarkdownRenderer markdown) : SitePageModel
{
    public CaseStudy CaseStudy { get; private set; } = new();
    public string CaseStudyUrl { get; private set; } = "";
    public HtmlString ChallengeHtml { get; private set; } = HtmlString.Empty;
    public HtmlString Approach { get; private set; } = HtmlString.Empty;

    /// <summary>The published experts and services it names (unpublished ones are left out): name and address.</summary>
    public IReadOnlyList<(string Name, string Url)> Experts { get; private set; } = [];
    public IReadOnlyList<(string Name, string Url)> Services { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        var lookup = SlugLookup.Resolve<CaseStudy>(Published, slug);
        if (lookup is SlugLookup.WrongCase wrongCase)
        {
            return RedirectPermanent(wrongCase.CanonicalUrl);
        }

        if (lookup is not SlugLookup.Found { Item: { Document: CaseStudy study } item })
        {
            return NotFound();
        }

        CaseStudy = study;
        CaseStudyUrl = item.Url ?? "/case-studies/" + slug;
        ChallengeHtml = markdown.Render(study.Challenge);
        Approach = markdown.Render(study.Approach);
        Experts = Linked<ExpertProfile>(study.Experts);
        Services = Linked<Service>(study.Services);
        Describe(study.Title, string.IsNullOrWhiteSpace(study.MetaDescription) ? study.Summary : study.MetaDescription, CaseStudyUrl, "article");
        return Page();
    }

    private List<(string Name, string Url)> Linked<TDocument>(IEnumerable<string> slugs) where TDocument : IDocument =>
        slugs.Select(linked => Published.Find<TDocument>(linked.Trim()))
            .OfType<PublishedContent>()
            .Where(found => found.Url is not null)
            .Select(found => (found.Document.DisplayName, found.Url!))
            .ToList();
}
