using System.Net;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Site;

/// <summary>Every public page type renders the sample content with its own title, description and canonical URL.</summary>
public sealed class PublicPagesTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    private static readonly string[] PublicPaths = ["/", "/team", "/team/talha", "/services", "/articles", "/engineering", "/contact"];

    public static TheoryData<string> PublicPages => new(PublicPaths);

    [Theory]
    [MemberData(nameof(PublicPages))]
    public async Task EveryPageTypeHasItsOwnTitleDescriptionAndCanonicalUrl(string path)
    {
        var page = await app.CreateClient().GetDocumentAsync(path);

        Assert.False(string.IsNullOrWhiteSpace(page.Title));
        Assert.False(string.IsNullOrWhiteSpace(page.Meta("description")), $"{path} has no meta description.");
        Assert.Equal("http://localhost" + path, page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Equal(page.Title, page.Meta("og:title"));
        Assert.Single(page.QuerySelectorAll("h1"));
        Assert.NotNull(page.QuerySelector("main"));
    }

    [Fact]
    public async Task TitlesAndDescriptionsAreUniqueAcrossTheSite()
    {
        var client = app.CreateClient();
        var paths = PublicPaths.ToList();
        var first = await client.GetDocumentAsync("/services");
        paths.AddRange(first.QuerySelectorAll("main a[href^='/services/']").Select(a => a.GetAttribute("href")!).Distinct().Take(2));
        var pages = await Task.WhenAll(paths.Select(async path => await client.GetDocumentAsync(path)));

        Assert.Equal(pages.Length, pages.Select(page => page.Title).Distinct().Count());
        Assert.Equal(pages.Length, pages.Select(page => page.Meta("description")).Distinct().Count());
    }

    [Fact]
    public async Task TheExpertProfileShowsEverySectionOfTheClientsProfilePage()
    {
        var page = await app.CreateClient().GetDocumentAsync("/team/talha");
        var text = page.Body!.TextContent;

        Assert.Contains("Talha", page.QuerySelector("h1")!.TextContent);
        Assert.Contains("Senior Backend & Systems Architect", text);
        // Headline figures, value and label.
        Assert.Contains("<10ms", text);
        Assert.Contains("75%", text);
        // Principles, skills, methodology, track record, differentiators, education.
        Assert.Contains("Defense in Depth", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Advanced PostgreSQL", text);
        Assert.Contains("Threat Model", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("2023", text);
        Assert.Contains("Computer Science", text);
        // The FAQ is an accessible disclosure.
        Assert.True(page.QuerySelectorAll("details > summary").Length >= 5, "Every FAQ entry is a <details> disclosure.");
        Assert.NotNull(page.QuerySelector("a[href='/team/talha/book']"));
        Assert.NotNull(page.QuerySelector("a[href='/team']"));
        Assert.Contains(page.JsonLd(), item => item.GetProperty("@type").GetString() == "Person" && item.GetProperty("name").GetString()!.Contains("Talha"));
        Assert.Equal("profile", page.Meta("og:type"));
        // Seed 000's own headings are content, not template text.
        Assert.Equal(
            ["How Talha Approaches Every Engagement", "Core Arsenal", "The Talha Framework", "Track Record & Impact",
             "What Makes Talha Different from the Market", "Meet the Full TechNext Team"],
            page.QuerySelectorAll("main h2").Select(heading => heading.TextContent.Trim())
                .Where(heading => heading is "How Talha Approaches Every Engagement" or "Core Arsenal" or "The Talha Framework"
                    or "Track Record & Impact" or "What Makes Talha Different from the Market" or "Meet the Full TechNext Team")
                .ToArray());
        Assert.Contains("A history of solving hard problems", page.QuerySelector("#track-record")!.TextContent);
        Assert.Equal("View Full Team Roster", page.QuerySelector("section[aria-labelledby='roster-heading'] a[href='/team']")!.TextContent.Trim());
    }

    [Fact]
    public async Task TheRosterListsEveryExpert()
    {
        var page = await app.CreateClient().GetDocumentAsync("/team");

        var profiles = page.QuerySelectorAll("main a[href^='/team/']").Select(a => a.GetAttribute("href")).Distinct().ToList();
        Assert.Contains("/team/talha", profiles);
        Assert.True(profiles.Count(href => !href!.EndsWith("/book", StringComparison.Ordinal)) >= 2, "The roster shows at least two experts.");
    }

    [Fact]
    public async Task TheHomePageShowsPromisePrinciplesProcessExpertsServicesAndArticles()
    {
        var page = await app.CreateClient().GetDocumentAsync("/");
        var text = page.Body!.TextContent;

        foreach (var step in new[] { "Understand", "Design", "Ship", "Observe" })
        {
            Assert.Contains(step, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.NotNull(page.QuerySelector("main a[href='/team/talha']"));
        Assert.NotEmpty(page.QuerySelectorAll("main a[href^='/services/']"));
        Assert.NotEmpty(page.QuerySelectorAll("main a[href^='/articles/']"));
        Assert.NotNull(page.QuerySelector("main a[href='/contact']"));
        Assert.Contains(page.JsonLd(), item => item.GetProperty("@type").GetString() == "Organization");
    }

    [Fact]
    public async Task AServicePageRendersItsMarkdownBody()
    {
        var client = app.CreateClient();
        var list = await client.GetDocumentAsync("/services");
        var links = list.QuerySelectorAll("main a[href^='/services/']").Select(a => a.GetAttribute("href")!).Distinct().ToList();
        Assert.True(links.Count >= 6, "At least six services are published.");

        var page = await client.GetDocumentAsync(links[0]);
        Assert.NotEmpty(page.QuerySelectorAll("main p"));
    }

    [Fact]
    public async Task AnArticleShowsAuthorDateReadingTimeAndArticleJsonLd()
    {
        var client = app.CreateClient();
        var list = await client.GetDocumentAsync("/articles");
        var links = list.QuerySelectorAll("main a[href^='/articles/']")
            .Select(a => a.GetAttribute("href")!)
            .Where(href => !href.Contains('?', StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.True(links.Count >= 3, "Three articles are published.");

        var page = await client.GetDocumentAsync(links[0]);
        Assert.NotNull(page.QuerySelector("main time[datetime]"));
        Assert.NotNull(page.QuerySelector("main a[href^='/team/']"));
        Assert.Matches(@"\d+\s*min", page.Body!.TextContent);
        Assert.Contains(page.JsonLd(), item => item.GetProperty("@type").GetString() == "Article");
        Assert.Equal("article", page.Meta("og:type"));
    }

    [Fact]
    public async Task ArticlesCanBeFilteredByTagAndPaged()
    {
        var client = app.CreateClient();
        var list = await client.GetDocumentAsync("/articles");
        var tagLink = list.QuerySelector("main a[href*='tag=']")?.GetAttribute("href");
        Assert.NotNull(tagLink);

        var filtered = await client.GetDocumentAsync(tagLink!);
        Assert.NotEmpty(filtered.QuerySelectorAll("main article"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/articles?page=99")).StatusCode);
    }

    [Theory]
    [InlineData("/team/nobody-here")]
    [InlineData("/services/no-such-service")]
    [InlineData("/articles/no-such-article")]
    [InlineData("/a/path/that/does/not/exist")]
    public async Task UnknownPagesGetTheFriendly404Page(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("couldn't find", page.QuerySelector("h1")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("noindex", page.Meta("robots"));
        Assert.NotNull(page.QuerySelector("a[href='/']"));
    }

    [Fact]
    public async Task AProfileCachedUnderItsSlugIsNotServedForTheSlugInOtherCase()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/team/talha")).StatusCode); // now in the output cache

        var shouted = await client.GetAsync("/team/TALHA");

        // One URL per page: the other spelling is sent to the canonical one rather than answered from the cache.
        Assert.Equal(HttpStatusCode.MovedPermanently, shouted.StatusCode);
        Assert.Equal("/team/talha", shouted.Headers.Location?.OriginalString);
    }
}
