using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;
using Portfolio.Web.Media;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Team;

/// <summary>An expert's full profile at <c>/team/{slug}</c>; 404 when no published expert has the slug.</summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class ProfileModel(MarkdownRenderer markdown, MediaLibrary media) : SitePageModel
{
    public ExpertProfile Expert { get; private set; } = new();
    public string ProfileUrl { get; private set; } = "";

    /// <summary>The published case studies this expert worked on.</summary>
    public IReadOnlyList<CaseStudyCard> CaseStudies { get; private set; } = [];
    public HtmlString Philosophy { get; private set; } = HtmlString.Empty;

    /// <summary>
    /// The photo's alt text: the profile's own <see cref="ExpertProfile.PhotoAlt"/> when the editor wrote one for this
    /// page, else the media library's description of the image.
    /// </summary>
    public string PhotoAlt { get; private set; } = "";

    public string BookingUrl => ProfileUrl + "/book";

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        var lookup = SlugLookup.Resolve<ExpertProfile>(Published, slug);
        if (lookup is SlugLookup.WrongCase wrongCase)
        {
            return RedirectPermanent(wrongCase.CanonicalUrl);
        }

        if (lookup is not SlugLookup.Found { Item: { Document: ExpertProfile expert } item })
        {
            return NotFound();
        }

        Expert = expert;
        CaseStudies = [.. CaseStudyLinks.InvolvingExpert(Published, item.Slug).Select(found => CaseStudyCard.From(found, headingLevel: 3))];
        ProfileUrl = item.Url ?? "/team/" + slug;
        Philosophy = markdown.Render(expert.Philosophy);
        PhotoAlt = !string.IsNullOrWhiteSpace(expert.PhotoAlt)
            ? expert.PhotoAlt
            : (await media.FindByUrlAsync(expert.PhotoUrl, cancellationToken))?.AltText ?? "";

        var description = string.IsNullOrWhiteSpace(expert.MetaDescription) ? expert.Summary : expert.MetaDescription;
        Describe($"{expert.Name}, {expert.Role}", description, ProfileUrl, "profile");
        Meta.ImageUrl = expert.PhotoUrl;
        Meta.JsonLd.Add(Seo.JsonLd.Person(expert, ProfileUrl, Settings, AbsoluteUrl));
        return Page();
    }
}
