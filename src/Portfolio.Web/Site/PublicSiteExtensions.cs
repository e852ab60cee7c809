using Portfolio.Web.Content;
using Portfolio.Web.Site.Seo;

namespace Portfolio.Web.Site;

public static class PublicSiteExtensions
{
    /// <summary>Output-cache policy of every public content page: evicted whenever content is published.</summary>
    public const string PublicPagePolicy = "PublicPage";

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
                .Tag(PublishedContentCache.OutputCacheTag));
        });
        return builder;
    }

    /// <remarks>
    /// The order puts a cached public page's answer as early as it can be (measured in tests/bench: each
    /// middleware a cache hit passes costs CPU on every request of the busiest pages):
    /// routing first, because the output-cache policy is the endpoint's metadata; static files after it, so a
    /// page's path is not looked up on disk (the middleware only serves when no endpoint matched); then the
    /// output cache, before redirects and everything Program.cs adds after this (rate limits, sign-in,
    /// antiforgery), none of which a cached public page needs.
    /// </remarks>
    public static WebApplication UsePublicSite(this WebApplication app)
    {
        app.UseRouting();
        app.UseStaticFiles();
        app.UseOutputCache();
        app.UseMiddleware<ContentRedirectMiddleware>();
        return app;
    }

    /// <summary>The public pages (Razor Pages under <c>Site/Pages</c>), robots.txt, the sitemap and the feed.</summary>
    public static WebApplication MapPublicSite(this WebApplication app)
    {
        // Maps every Razor Page of the app, the backoffice's area too (one data source per app: MapBackoffice's call
        // returns the same one).
        app.MapRazorPages();
        app.MapSeo();
        return app;
    }
}
