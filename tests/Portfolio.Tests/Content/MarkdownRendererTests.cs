using Portfolio.Web.Content;

namespace Portfolio.Tests.Content;

public sealed class MarkdownRendererTests
{
    private readonly MarkdownRenderer _renderer = new();

    [Fact]
    public void RendersHeadingsListsAndLinks()
    {
        var html = _renderer.Render("## Scaling\n\n- one\n- two\n\nSee [the team](/team).").Value!;

        Assert.Contains("<h2", html);
        Assert.Contains("<li>one</li>", html);
        Assert.Contains("<a href=\"/team\">the team</a>", html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    public void RawHtmlIsShownAsTextNeverAsMarkup(string markdown)
    {
        var html = _renderer.Render(markdown).Value!;

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[click](vbscript:msgbox)")]
    [InlineData("[click](//evil.example/path)")]
    public void UnsafeLinkSchemesAreRemoved(string markdown)
    {
        var html = _renderer.Render(markdown).Value!;

        Assert.DoesNotContain("href", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("click", html);
    }

    [Fact]
    public void ExternalLinksGetNoopenerAndSafeSchemesSurvive()
    {
        var html = _renderer.Render("[a](https://example.com) [b](mailto:hello@example.com)").Value!;

        Assert.Contains("href=\"https://example.com\" rel=\"noopener noreferrer\"", html);
        Assert.Contains("href=\"mailto:hello@example.com\"", html);
    }

    [Fact]
    public void ElementsOutsideTheAllowListKeepTheirTextOnly()
    {
        var html = _renderer.Sanitize("<p>ok <marquee onclick=\"x()\">moving</marquee> <b style=\"color:red\">bold</b></p>");

        Assert.Equal("<p>ok moving bold</p>", html);
    }

    [Theory]
    [InlineData("one two three", 1)]
    [InlineData("", 1)]
    public void ReadingTimeIsAtLeastOneMinute(string markdown, int minutes) =>
        Assert.Equal(minutes, _renderer.ReadingMinutes(markdown));

    [Fact]
    public void ReadingTimeCountsWordsAtTwoHundredTwentyAMinute() =>
        Assert.Equal(5, _renderer.ReadingMinutes(string.Join(' ', Enumerable.Repeat("word", 1100))));
}
