using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Content;

/// <summary>The main navigation and the footer's links are content: the editor's entries, in their order.</summary>
public sealed class NavigationContentTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    private const string Editor = "editor@example.com";

    [Fact]
    public async Task TheHeaderAndFooterShowTheEditorsLinksInTheirOrderAndUnsafeAddressesAreRefused()
    {
        // Until the editor sets any, the site's own sections are linked.
        var before = await app.CreateClient().GetDocumentAsync("/team");
        Assert.Equal(["/team", "/services", "/articles", "/engineering"], Hrefs(before, "header nav[aria-label='Main'] .site-nav__list a:not(.button)"));

        var settings = new SiteSettings
        {
            SiteName = "Nav Test",
            Navigation = [new() { Label = "Our work", Url = "/case-studies" }, new() { Label = "People", Url = "/team" }],
            FooterLinks = [new() { Label = "Privacy", Url = "/privacy" }, new() { Label = "Status", Url = "https://status.example.com" }],
        };
        var created = await app.WithContentAsync(content => content.CreateAsync(settings, "settings", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));

        var page = await app.CreateClient().GetDocumentAsync("/team");
        Assert.Equal(["/case-studies", "/team"], Hrefs(page, "header nav[aria-label='Main'] .site-nav__list a:not(.button)"));
        Assert.Equal(["/case-studies", "/team"], Hrefs(page, "header .site-menu__list a:not([href='/contact'])"));
        Assert.Equal(["/case-studies", "/team"], Hrefs(page, "nav[aria-labelledby='footer-explore'] a"));
        Assert.Equal(["/privacy", "https://status.example.com"], Hrefs(page, "nav[aria-labelledby='footer-site'] a"));
        Assert.Equal("People", page.QuerySelector("header .site-nav__list a[href='/team']")!.TextContent);
        Assert.Equal("page", page.QuerySelector("header .site-nav__list a[href='/team']")!.GetAttribute("aria-current"));

        foreach (var unsafeUrl in new[] { "javascript:alert(1)", "//evil.example", "http://plain.example", "data:text/html,x" })
        {
            var refused = await Assert.ThrowsAsync<DocumentValidationException>(() => app.WithContentAsync(content => content.SaveDraftAsync(
                created.Key, settings with { Navigation = [new() { Label = "Bad", Url = unsafeUrl }] }, "settings", Editor)));
            Assert.Contains(refused.Errors, error => error.Key.StartsWith("Navigation[0].Url", StringComparison.Ordinal));
        }
    }

    private static string[] Hrefs(AngleSharp.Dom.IDocument page, string selector) =>
        [.. page.QuerySelectorAll(selector).Select(link => link.GetAttribute("href")!)];
}
