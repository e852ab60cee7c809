using Microsoft.AspNetCore.Mvc.RazorPages;
using Portfolio.Web.Content;

namespace Portfolio.Web.Site;

/// <summary>
/// Base of every public page: gives the page the published content snapshot, the site settings and
/// its <see cref="PageMeta"/>. Pages read only published content, through <see cref="PublishedContentCache"/>.
/// </summary>
public abstract class SitePageModel : PageModel
{
    public PageMeta Meta { get; } = new();

    public PublishedSnapshot Published { get; private set; } = new([], []);

    public SiteSettings Settings { get; private set; } = new();

    /// <summary>Set when the backoffice renders a draft through this page (never on the public site).</summary>
    public SitePreview? Preview { get; private set; }

    /// <summary>The footer's copyright year, from the app's clock (tests set it).</summary>
    public int CopyrightYear => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().Year;

    /// <summary>Loads the snapshot; call first in every handler.</summary>
    protected async Task LoadPublishedAsync(CancellationToken cancellationToken = default)
    {
        Preview = SitePreview.Get(HttpContext);
        if (Preview is not null)
        {
            Published = Preview.Snapshot;
            Meta.NoIndex = true;
        }
        else
        {
            var cache = HttpContext.RequestServices.GetRequiredService<PublishedContentCache>();
            Published = await cache.GetAsync(cancellationToken);
        }

        Settings = Published.Singleton<SiteSettings>() ?? new SiteSettings { SiteName = "Portfolio" };
    }

    /// <summary>Fills the head: title (with the site name), description, canonical path.</summary>
    protected void Describe(string title, string description, string canonicalPath, string openGraphType = "website")
    {
        Meta.Title = string.IsNullOrEmpty(Settings.SiteName) || title == Settings.SiteName ? title : $"{title} | {Settings.SiteName}";
        Meta.Description = string.IsNullOrWhiteSpace(description) ? Settings.MetaDescription : description;
        Meta.CanonicalPath = canonicalPath;
        Meta.OpenGraphType = openGraphType;
    }

    /// <summary>The absolute URL for a site path, from the configured public URL (<see cref="SiteUrls"/>).</summary>
    public string AbsoluteUrl(string path) => HttpContext.RequestServices.GetRequiredService<SiteUrls>().Absolute(Request, Settings, path);
}
