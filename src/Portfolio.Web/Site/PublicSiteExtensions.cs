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

    public static WebApplication UsePublicSite(this WebApplication app)
    {
        app.UseStaticFiles();
        app.UseMiddleware<ContentRedirectMiddleware>();
        app.UseRouting();
        app.UseRateLimiter();
        // The backoffice's session cookie (see Backoffice/); public pages need no sign-in.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseOutputCache();
        return app;
    }

    public static WebApplication MapPublicSite(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapSeo();
        return app;
    }
}
