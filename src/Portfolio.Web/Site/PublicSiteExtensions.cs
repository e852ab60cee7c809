using Portfolio.Web.Content;
using Portfolio.Web.Site.Seo;

namespace Portfolio.Web.Site;

public static class PublicSiteExtensions
{
    /// <summary>Output-cache policy of every public content page: evicted whenever content is published.</summary>
    public const string PublicPagePolicy = "PublicPage";

    public static WebApplicationBuilder AddPublicSite(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options => options.RootDirectory = "/Site/Pages");
        builder.Services.AddOutputCache(options =>
        {
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
    /// output cache, before redirects, rate limits, sign-in and antiforgery, none of which a cached public page needs.
    /// (Sign-in must stay in this pipeline, not a branch: the host adds it at the very front when it is missing.)
    /// </remarks>
    public static WebApplication UsePublicSite(this WebApplication app)
    {
        app.UseRouting();
        app.UseStaticFiles();
        app.UseOutputCache();
        app.UseMiddleware<ContentRedirectMiddleware>();
        app.UseRateLimiter();
        // The backoffice's session cookie. After the output cache: public pages are the same for everyone, so a cached
        // one needs no reading and decrypting of a cookie (and none is ever cached: backoffice pages have no policy).
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPublicSite(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapSeo();
        return app;
    }
}
