using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;
using Portfolio.Web.Search;

namespace Portfolio.Tests.Site;

/// <summary>
/// The public search at /search, on the database's own full-text index: stemming, ranking, excerpts with marked
/// matches (escaped first), filters by type; only published, unbinned content, following every change.
/// Each test uses words of its own, so that the tests of one fixture do not find each other's items.
/// </summary>
public sealed class SiteSearchTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Fact]
    public async Task AWordFindsItsOtherFormsThroughStemming()
    {
        await PublishedArticleAsync("Quokka notes", "We were migrating the quokka ledgers over a weekend.");

        var page = await SearchAsync("quokka migrations");

        Assert.Equal(["Quokka notes"], Titles(page));
        Assert.Contains("<mark>migrating</mark>", page.QuerySelector(".search-result__excerpt")!.InnerHtml);
    }

    [Fact]
    public async Task ATitleMatchRanksAboveAMatchInTheText()
    {
        await PublishedArticleAsync("Field notes", "Somewhere in the middle of the text the word wallabyx appears once.");
        await PublishedArticleAsync("Wallabyx in production", "What we learned.");

        Assert.Equal(["Wallabyx in production", "Field notes"], Titles(await SearchAsync("wallabyx")));
    }

    [Fact]
    public async Task DraftsUnpublishedAndBinnedItemsNeverAppearAndTheIndexFollowsEveryChange()
    {
        var key = await app.WithContentAsync(async content =>
            (await content.CreateAsync(Article("Numbatz guide", "All about numbatz."), "numbatz-guide", "test")).Key);
        Assert.Empty(Titles(await SearchAsync("numbatz")));

        await app.WithContentAsync(content => content.PublishAsync(key, "test"));
        Assert.Equal(["Numbatz guide"], Titles(await SearchAsync("numbatz")));

        // A newer draft is not searchable until it is published.
        await app.WithContentAsync(content => content.SaveDraftAsync(key, Article("Numbatz guide", "All about numbatz and bilbyq."), "numbatz-guide", "test"));
        Assert.Empty(Titles(await SearchAsync("bilbyq")));

        await Change(content => content.UnpublishAsync(key, "test"));
        Assert.Empty(Titles(await SearchAsync("numbatz")));

        await app.WithContentAsync(content => content.PublishAsync(key, "test"));
        Assert.Equal(["Numbatz guide"], Titles(await SearchAsync("bilbyq")));
        await Change(content => content.MoveToRecycleBinAsync(key, "test"));
        Assert.Empty(Titles(await SearchAsync("numbatz")));

        await app.WithContentAsync(content => content.RestoreAsync(key, "test"));
        Assert.Empty(Titles(await SearchAsync("numbatz")));
        await app.WithContentAsync(content => content.PublishAsync(key, "test"));
        Assert.Equal(["Numbatz guide"], Titles(await SearchAsync("numbatz")));

        // A rebuild (every start does one) reads the same state.
        await app.WithScopeAsync(services => services.GetRequiredService<SearchIndex>().RebuildAsync());
        Assert.Equal(["Numbatz guide"], Titles(await SearchAsync("numbatz")));
    }

    [Fact]
    public async Task TheTypeFilterNarrowsTheResultsAndTheCountsNameEachType()
    {
        await PublishedArticleAsync("Dingoq article", "An article on dingoq.");
        await app.WithContentAsync(async content =>
        {
            var created = await content.CreateAsync(new Service { Title = "Dingoq service", Summary = "We do dingoq.", Body = "Dingoq work." }, "dingoq-service", "test");
            return await content.PublishAsync(created.Key, "test");
        });

        var all = await SearchAsync("dingoq");
        var services = await SearchAsync("dingoq", "service");

        Assert.Equal(2, Titles(all).Count);
        Assert.Equal(["Dingoq service"], Titles(services));
        var filters = all.QuerySelectorAll("nav.search-filters a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["All (2)", "Articles (1)", "Services (1)"], filters);
        Assert.Equal("page", services.QuerySelector("nav.search-filters a[href$='type=service']")?.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task MarkupInContentIsEscapedBeforeTheMatchesAreMarked()
    {
        await PublishedArticleAsync("Escaping <b>emuqq</b> & <script>alert(1)</script>", "Text with <img src=x onerror=alert(2)> and emuqq.");

        var page = await SearchAsync("emuqq");

        var title = page.QuerySelector(".search-result__title a")!;
        Assert.Null(title.QuerySelector("b, script"));
        Assert.Equal("emuqq", title.QuerySelector("mark")?.TextContent);
        Assert.Equal("Escaping <b>emuqq</b> & <script>alert(1)</script>", title.TextContent);
        Assert.Null(page.QuerySelector("main img, main script"));
        Assert.All(page.QuerySelectorAll(".search-result mark"), mark => Assert.Equal("emuqq", mark.TextContent, ignoreCase: true));
    }

    [Fact]
    public void AnExcerptsMarksAreBalancedAndItsTextEscaped()
    {
        Assert.Equal("a &lt;b&gt; <mark>c</mark> d", SiteSearch.MarkedHtml("a <b> \u27E6c\u27E7 d"));
        Assert.Equal("<mark>open</mark>", SiteSearch.MarkedHtml("\u27E6open"));
        Assert.Equal("stray", SiteSearch.MarkedHtml("\u27E7stray"));
        Assert.Equal("plain", SearchableText.Clean("pl\u27E6ain"));
    }

    [Fact]
    public async Task QuerySyntaxIsReadAsWordsAndAnEmptyQueryAsksForOne()
    {
        var client = app.CreateClient();
        foreach (var query in new[] { "\"", "AND OR NOT", "*", "a:b", "NEAR(x y)", "'; DROP TABLE x; --", new string('x', 500) })
        {
            var response = await client.GetAsync("/search?q=" + Uri.EscapeDataString(query));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var empty = await client.GetDocumentAsync("/search");
        Assert.Null(empty.QuerySelector(".search-results"));
        Assert.NotNull(empty.QuerySelector("main form[role=search][method=get][action='/search'] input[name=q]"));
    }

    [Fact]
    public async Task EveryPageHasASearchFormInItsHeaderThatWorksWithoutAScript()
    {
        var home = await app.CreateClient().GetDocumentAsync("/");

        var form = home.QuerySelector("header form[role=search]")!;
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("/search", form.GetAttribute("action"));
        Assert.NotNull(form.QuerySelector("input[type=search][name=q]"));
        Assert.Equal("details", form.ParentElement!.LocalName);
    }

    [Fact]
    public async Task TheSampleContentIsSearchable()
    {
        var page = await SearchAsync("postgresql");

        Assert.NotEmpty(Titles(page));
        Assert.All(page.QuerySelectorAll(".search-result__title a"), a => Assert.StartsWith("/", a.GetAttribute("href")));
    }

    [Fact]
    public async Task PagesBuiltFromBlocksAndCaseStudiesAreFoundAtTheirOwnAddresses()
    {
        var freight = await SearchAsync("freight marketplace");
        Assert.Contains(freight.QuerySelectorAll(".search-result__title a"), a => a.GetAttribute("href") == "/case-studies/logistics-api-latency");

        // A feature grid's block text, on a page whose address is an editor's path.
        var about = await SearchAsync("leadership lifts");
        Assert.Contains(about.QuerySelectorAll(".search-result__title a"), a => a.GetAttribute("href") == "/about");
    }

    private async Task<AngleSharp.Dom.IDocument> SearchAsync(string query, string? type = null)
    {
        var response = await app.CreateClient().GetAsync("/search?q=" + Uri.EscapeDataString(query) + (type is null ? "" : "&type=" + type));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Html.Parse(await response.Content.ReadAsStringAsync());
    }

    private static List<string> Titles(AngleSharp.Dom.IDocument page) =>
        page.QuerySelectorAll(".search-result__title a").Select(a => a.TextContent.Trim()).ToList();

    private static Article Article(string title, string body) => new()
    {
        Title = title,
        Summary = "A summary.",
        Body = body,
        PublishedOn = new DateOnly(2026, 10, 1),
    };

    private async Task PublishedArticleAsync(string title, string body)
    {
        var slug = "search-" + Guid.NewGuid().ToString("N")[..10];
        await app.WithContentAsync(async content =>
        {
            var created = await content.CreateAsync(Article(title, body), slug, "test");
            return await content.PublishAsync(created.Key, "test");
        });
    }

    private Task<int> Change(Func<ContentService, Task> change) => app.WithContentAsync(async content =>
    {
        await change(content);
        return 0;
    });
}
