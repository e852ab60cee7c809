using System.Text;
using System.Xml;
using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Seo;

/// <summary>
/// <c>/sitemap.xml</c>, <c>/robots.txt</c>, the Atom feed of articles and the web app manifest, all built from published
/// content.
/// </summary>
public static class SeoEndpoints
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";
    private const string SitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

    /// <summary>Public pages that exist whatever the content (their text is content, their address is not).</summary>
    private static readonly string[] FixedPaths = ["/", "/team", "/services", "/articles", "/engineering", "/contact", "/case-studies"];

    public static IEndpointRouteBuilder MapSeo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/robots.txt", RobotsAsync).CacheOutput(PublicSiteExtensions.PublicPagePolicy).ExcludeFromDescription();
        endpoints.MapGet("/sitemap.xml", SitemapAsync).CacheOutput(PublicSiteExtensions.PublicPagePolicy).ExcludeFromDescription();
        endpoints.MapGet("/articles/feed.xml", FeedAsync).CacheOutput(PublicSiteExtensions.PublicPagePolicy).ExcludeFromDescription();
        endpoints.MapGet("/site.webmanifest", ManifestAsync).CacheOutput(PublicSiteExtensions.PublicPagePolicy).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> RobotsAsync(HttpRequest request, PublishedContentCache cache, SiteUrls urls, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(cancellationToken);
        var settings = snapshot.Singleton<SiteSettings>() ?? new SiteSettings();
        var text = new StringBuilder()
            .Append("User-agent: *\n")
            .Append("Allow: /\n")
            .Append("Disallow: /umbraco/\n")
            .Append("Disallow: /api/\n")
            .Append("Disallow: /health/\n")
            .Append("Disallow: /preferences/\n")
            .Append("Sitemap: ").Append(urls.Absolute(request, settings, "/sitemap.xml")).Append('\n')
            .ToString();
        return Results.Text(text, "text/plain; charset=utf-8");
    }

    /// <summary>
    /// What a phone needs to put the site on its home screen: the name is the content's, the colours are the brand's
    /// (the header's navy, the mark's teal), the icons are wwwroot/icons (drawn from wwwroot/brand/mark.svg).
    /// </summary>
    private static async Task<IResult> ManifestAsync(PublishedContentCache cache, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(cancellationToken);
        var settings = snapshot.Singleton<SiteSettings>() ?? new SiteSettings();
        var name = string.IsNullOrWhiteSpace(settings.SiteName) ? "Portfolio" : settings.SiteName;
        var manifest = new
        {
            name,
            short_name = name,
            description = settings.Tagline,
            start_url = "/",
            scope = "/",
            display = "minimal-ui",
            theme_color = "#0f172a",
            background_color = "#ffffff",
            icons = new object[]
            {
                new { src = "/icons/icon-192.png", sizes = "192x192", type = "image/png" },
                new { src = "/icons/icon-512.png", sizes = "512x512", type = "image/png" },
                new { src = "/icons/maskable-512.png", sizes = "512x512", type = "image/png", purpose = "maskable" },
                new { src = "/favicon.svg", sizes = "any", type = "image/svg+xml" },
            },
        };
        return Results.Json(manifest, contentType: "application/manifest+json; charset=utf-8");
    }

    private static async Task<IResult> SitemapAsync(HttpRequest request, PublishedContentCache cache, SiteUrls urls, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(cancellationToken);
        var settings = snapshot.Singleton<SiteSettings>() ?? new SiteSettings();
        var newest = snapshot.All.Select(item => item.UpdatedUtc).DefaultIfEmpty(DateTime.UnixEpoch).Max();

        var entries = FixedPaths.Select(path => (Path: path, Modified: newest))
            .Concat(snapshot.All.Where(item => item.Url is not null).Select(item => (Path: item.Url!, Modified: item.UpdatedUtc)));

        return Xml(writer =>
        {
            writer.WriteStartElement("urlset", SitemapNamespace);
            foreach (var (path, modified) in entries)
            {
                writer.WriteStartElement("url", SitemapNamespace);
                writer.WriteElementString("loc", SitemapNamespace, urls.Absolute(request, settings, path));
                writer.WriteElementString("lastmod", SitemapNamespace, modified.ToString("yyyy-MM-dd"));
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }, "application/xml; charset=utf-8");
    }

    private static async Task<IResult> FeedAsync(HttpRequest request, PublishedContentCache cache, SiteUrls urls, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(cancellationToken);
        var settings = snapshot.Singleton<SiteSettings>() ?? new SiteSettings();
        var articles = snapshot.List<Article>()
            .OrderByDescending(item => ((Article)item.Document).PublishedOn)
            .ThenByDescending(item => item.PublishedUtc)
            .Take(20)
            .ToList();
        var updated = articles.Select(item => item.UpdatedUtc).DefaultIfEmpty(DateTime.UnixEpoch).Max();
        string Absolute(string path) => urls.Absolute(request, settings, path);

        return Xml(writer =>
        {
            writer.WriteStartElement("feed", AtomNamespace);
            writer.WriteElementString("title", AtomNamespace, $"{settings.SiteName} — articles");
            writer.WriteElementString("id", AtomNamespace, Absolute("/articles"));
            writer.WriteElementString("updated", AtomNamespace, Rfc3339(updated));
            WriteLink(writer, Absolute("/articles/feed.xml"), "self");
            WriteLink(writer, Absolute("/articles"), "alternate");
            foreach (var item in articles)
            {
                var article = (Article)item.Document;
                var author = snapshot.Get<ExpertProfile>(article.AuthorSlug);
                writer.WriteStartElement("entry", AtomNamespace);
                writer.WriteElementString("title", AtomNamespace, article.Title);
                writer.WriteElementString("id", AtomNamespace, $"urn:uuid:{item.Key}");
                writer.WriteElementString("published", AtomNamespace, Rfc3339(article.PublishedOn.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)));
                writer.WriteElementString("updated", AtomNamespace, Rfc3339(item.UpdatedUtc));
                WriteLink(writer, Absolute(item.Url!), "alternate");
                writer.WriteStartElement("author", AtomNamespace);
                writer.WriteElementString("name", AtomNamespace, author?.Name ?? settings.SiteName);
                writer.WriteEndElement();
                foreach (var tag in article.Tags)
                {
                    writer.WriteStartElement("category", AtomNamespace);
                    writer.WriteAttributeString("term", tag);
                    writer.WriteEndElement();
                }

                writer.WriteElementString("summary", AtomNamespace, article.Summary);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }, "application/atom+xml; charset=utf-8");
    }

    private static void WriteLink(XmlWriter writer, string href, string rel)
    {
        writer.WriteStartElement("link", AtomNamespace);
        writer.WriteAttributeString("rel", rel);
        writer.WriteAttributeString("href", href);
        writer.WriteEndElement();
    }

    private static string Rfc3339(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private static IResult Xml(Action<XmlWriter> write, string contentType)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = true }))
        {
            write(writer);
        }

        return Results.Text("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + builder, contentType);
    }
}
