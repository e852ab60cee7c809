using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Pages;

[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class IndexModel : SitePageModel
{
    public HomePage Home { get; private set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Home = Published.Singleton<HomePage>() ?? new HomePage { Title = Settings.SiteName, HeroHeading = Settings.SiteName };
        Describe(Home.Title, Home.MetaDescription, "/");
        Meta.JsonLd.Add(Seo.JsonLd.Organization(Settings, AbsoluteUrl));
    }
}
