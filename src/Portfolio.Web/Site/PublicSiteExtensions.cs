using Portfolio.Web.Content;
using Portfolio.Web.Site.Seo;

namespace Portfolio.Web.Site;

public static class PublicSiteExtensions
{
    /// <summary>Output-cache policy of every public content page: evicted whenever content is published.</summary>
    public const string PublicPagePolicy = "PublicPage";

    private const string ReloadStaticAssetsAtRuntime = "ReloadStaticAssetsAtRuntime";

    public static WebApplicationBuilder AddPublicSite(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
            {
                options.RootDirectory = "/Site/Pages";
                // Every page, the backoffice's too: anything but GET, HEAD and POST is a 405.
                options.Conventions.Add(new PageHttpMethodsConvention());
            })
            // Every page, the backoffice's too: an unreadable or mangled form is a 400 or a field error, never a 500.
            .AddMvcOptions(Infrastructure.PageFormInput.Configure);
        builder.Services.AddOutputCache(options =>
        {
            // Slugs are lower case and /team/Talha is a 404; a case-blind cache would answer it with /team/talha.
            options.UseCaseSensitivePaths = true;
            options.AddPolicy(PublicPagePolicy, policy => policy
                .Expire(TimeSpan.FromMinutes(10))
                .SetVaryByQuery("page", "tag")
                // The cache keeps the compressed bytes (SiteDelivery): one copy per encoding.
                .VaryByValue(SiteDelivery.NegotiatedEncoding)
                // The chosen colour scheme is written into the HTML: one copy per scheme (ThemePreference).
                .VaryByValue(ThemePreference.VaryByTheme)
                .Tag(PublishedContentCache.OutputCacheTag));
        });
        builder.AddSiteDelivery();
        // A built app (dotnet run, the tests) serves wwwroot's files, and their precompressed copies in obj/, through
        // the build's runtime manifest, which the host reads by itself in Development only. A published app has no
        // such manifest (this does nothing there): its wwwroot/ holds everything. Outside Development a built app
        // serves its assets as built, with their caching headers and precompressed copies, rather than as the
        // framework does for editing (no-cache, files recompressed on the fly); ReloadStaticAssetsAtRuntime=true
        // asks for that.
        if (!builder.Environment.IsDevelopment())
        {
            builder.WebHost.UseStaticWebAssets();
            if (builder.Configuration[ReloadStaticAssetsAtRuntime] is null)
            {
                builder.Configuration.AddInMemoryCollection([new(ReloadStaticAssetsAtRuntime, "false")]);
            }
        }

        return builder;
    }

    /// <remarks>
    /// The order puts a cached public page's answer as early as it can be (measured in tests/bench: each
    /// middleware a cache hit passes costs CPU on every request of the busiest pages):
    /// routing first, because the output-cache policy is the endpoint's metadata, and because a static asset is an
    /// endpoint too (MapStaticAssets) that routing answers at once (short-circuited: nothing below runs for it); then
    /// the output cache, before the validators and compression of what it stores (so a hit is neither hashed nor
    /// compressed again), redirects and everything Program.cs adds after this (rate limits, sign-in,
    /// antiforgery), none of which a cached public page needs.
    /// </remarks>
    public static WebApplication UsePublicSite(this WebApplication app)
    {
        app.UseRouting();
        app.UseOutputCache();
        app.UseMiddleware<CachedPageValidatorsMiddleware>();
        app.UseResponseCompression();
        app.UseMiddleware<ContentRedirectMiddleware>();
        return app;
    }

    /// <summary>
    /// wwwroot's files (fingerprinted, precompressed), the public pages (Razor Pages under <c>Site/Pages</c>),
    /// robots.txt, the sitemap and the feed.
    /// </summary>
    public static WebApplication MapPublicSite(this WebApplication app)
    {
        app.MapStaticAssets().ShortCircuit();
        // Maps every Razor Page of the app, the backoffice's area too (one data source per app: MapBackoffice's call
        // returns the same one). WithStaticAssets: asp-append-version writes an asset's fingerprinted URL
        // (/css/site.{hash}.css, cached for a year) instead of a ?v= query.
        app.MapRazorPages().WithStaticAssets();
        app.MapSeo();
        app.MapThemePreference();
        return app;
    }
}
