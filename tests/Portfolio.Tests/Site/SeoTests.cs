using System.Xml.Linq;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Site;

public sealed class SeoTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Fact]
    public async Task TheSitemapListsEveryPublishedPage()
    {
        var response = await app.CreateClient().GetAsync("/sitemap.xml");
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);

        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var locations = XDocument.Parse(await response.Content.ReadAsStringAsync())
            .Descendants(ns + "loc").Select(loc => loc.Value).ToList();
        Assert.Contains("http://localhost/", locations);
        Assert.Contains("http://localhost/team/talha", locations);
        Assert.Contains("http://localhost/engineering", locations);
        Assert.True(locations.Count(location => location.Contains("/services/", StringComparison.Ordinal)) >= 6);
        Assert.Equal(3, locations.Count(location => location.Contains("/articles/", StringComparison.Ordinal)));
        Assert.Equal(locations.Count, locations.Distinct().Count());
    }

    [Fact]
    public async Task RobotsPointsAtTheSitemapAndKeepsCrawlersOutOfTheBackoffice()
    {
        var robots = await app.CreateClient().GetStringAsync("/robots.txt");

        Assert.Contains("Sitemap: http://localhost/sitemap.xml", robots);
        Assert.Contains("Disallow: /umbraco/", robots);
    }

    [Fact]
    public async Task TheAtomFeedHasTheArticlesNewestFirst()
    {
        var response = await app.CreateClient().GetAsync("/articles/feed.xml");
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);

        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entries = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(atom + "entry").ToList();
        Assert.Equal(3, entries.Count);
        var published = entries.Select(entry => DateTime.Parse(entry.Element(atom + "published")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(published.OrderByDescending(date => date), published);
        Assert.All(entries, entry => Assert.StartsWith("http://localhost/articles/", entry.Element(atom + "link")!.Attribute("href")!.Value));
    }
}
