using IDocument = AngleSharp.Dom.IDocument;
using Portfolio.Tests.Content;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Site;

/// <summary>
/// A published document full of script-injection attempts renders its page with none of them: the Markdown body
/// through the renderer's sanitizer, the plain fields through Razor's encoding and the JSON-LD writer.
/// </summary>
public sealed class HostileContentTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    private const string Editor = "editor@example.com";
    private const string HostileText = "</script><script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>";
    private const string MediaImage = "/media/0123456789abcdef0123456789abcdef.png";

    private static readonly string HostileMarkdown = string.Join("\n\n",
        "Intro with a [safe link](https://example.com/ok) and a [site link](/team).",
        $"![Our diagram]({MediaImage})",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)> <body onload=alert(1)> <p onclick=alert(1)>x</p>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<svg><script>alert(1)</script></svg> <svg onload=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe><object data=x></object><embed src=x><base href=\"https://evil.example/\">",
        "<form action=\"https://evil.example\"><input name=password></form>",
        "<p style=\"background:url(javascript:alert(1))\">styled</p> <span style=\"width: expression(alert(1))\">css</span>",
        "[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [entity](&#106;avascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox)",
        "<javascript:alert(1)> [protocol relative](//evil.example/x)",
        "![External chart](https://other.example/chart.png) ![Data image](data:image/svg+xml;base64,PHN2Zy8+)",
        "<a href=\"/ok\" onmouseover=alert(1)>unclosed <strong>tags");

    [Fact]
    public async Task APublishedArticleFullOfInjectionAttemptsRendersNoneOfThem()
    {
        var page = await PublishAndOpenAsync(new Article
        {
            Title = "Hostile <svg onload=alert(1)> article",
            Summary = HostileText,
            Body = HostileMarkdown,
            PublishedOn = new DateOnly(2026, 10, 1),
            Tags = ["security"],
            MetaDescription = HostileText,
        }, "/articles/hostile-article");

        AssertNothingHostile(page);
        Assert.Contains(page.JsonLd(), item => item.GetProperty("@type").GetString() == "Article" && item.GetProperty("description").GetString() == HostileText);
        Assert.Equal(HostileText, page.QuerySelector(".lead")?.TextContent);
    }

    [Fact]
    public async Task APublishedServiceFullOfInjectionAttemptsRendersNoneOfThem()
    {
        var page = await PublishAndOpenAsync(new Service
        {
            Title = "Hostile <svg onload=alert(1)> service",
            Summary = HostileText,
            Body = HostileMarkdown,
            Highlights = [HostileText],
            MetaDescription = HostileText,
        }, "/services/hostile-service");

        AssertNothingHostile(page);
    }

    private async Task<IDocument> PublishAndOpenAsync(Portfolio.Web.Content.IDocument document, string path)
    {
        var created = await app.WithContentAsync(content => content.CreateAsync(document, path[(path.LastIndexOf('/') + 1)..], Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        return await app.CreateClient().GetDocumentAsync(path);
    }

    private static void AssertNothingHostile(IDocument page)
    {
        var prose = page.QuerySelector(".prose")!;
        MarkdownRendererTests.AssertHarmless(prose.InnerHtml);
        // What should stay, stays: the text, the site's own image, the links, external ones with rel.
        Assert.Contains("<script>alert(1)</script>", prose.TextContent);
        Assert.Equal([MediaImage], prose.QuerySelectorAll("img").Select(image => image.GetAttribute("src")));
        Assert.Contains("External chart", prose.TextContent);
        Assert.Equal("noopener noreferrer", prose.QuerySelector("a[href='https://example.com/ok']")?.GetAttribute("rel"));
        Assert.NotNull(prose.QuerySelector("a[href='/team']"));

        // And nowhere on the page: no script but ours and the JSON-LD data blocks, no handler, no unsafe URL.
        Assert.All(page.QuerySelectorAll("script"), script =>
            Assert.True(script.GetAttribute("type") == "application/ld+json" || script.GetAttribute("src")?.StartsWith('/') == true, script.OuterHtml));
        Assert.All(page.JsonLd(), item => Assert.NotNull(item.GetProperty("@type").GetString())); // content closed no data block
        Assert.Empty(page.QuerySelectorAll("base, iframe, object, embed"));
        var all = page.QuerySelectorAll("*");
        Assert.DoesNotContain(all, element => element.Attributes.Any(attribute => attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(all, element => element.Attributes.Any(attribute =>
            attribute.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) ||
            attribute.Value.TrimStart().StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase) ||
            (attribute.Name is "href" or "src" && attribute.Value.TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase))));
        Assert.All(page.QuerySelectorAll("img"), image => Assert.Matches(@"^/[^/\\]", image.GetAttribute("src")));
    }
}
