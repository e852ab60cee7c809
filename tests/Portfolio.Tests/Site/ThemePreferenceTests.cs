using System.Net;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Site;

namespace Portfolio.Tests.Site;

/// <summary>
/// Issue 16, look: the colour scheme toggle is a plain form that works without JavaScript. Its choice is remembered in a
/// cookie and written on the page's &lt;html&gt;, so the output cache keeps one copy per scheme.
/// </summary>
public sealed class ThemePreferenceTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Fact]
    public async Task ChoosingDarkRemembersItAndGoesBackToThePageWhichThenSaysDarkWhileOthersStillFollowTheirSystem()
    {
        var visitor = app.CreatePlainClient();
        var stranger = app.CreatePlainClient();
        Assert.True(string.IsNullOrEmpty((await stranger.GetDocumentAsync("/services")).DocumentElement.GetAttribute("data-theme")));

        var chosen = await visitor.PostAsync(ThemePreference.Path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["theme"] = "dark",
            ["returnUrl"] = "/services",
        }));

        Assert.Equal(HttpStatusCode.SeeOther, chosen.StatusCode);
        Assert.Equal("/services", chosen.Headers.Location?.OriginalString);
        var cookie = Assert.Single(chosen.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("theme=dark;", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", cookie, StringComparison.OrdinalIgnoreCase);

        var request = new HttpRequestMessage(HttpMethod.Get, "/services");
        request.Headers.Add("Cookie", "theme=dark");
        var page = Html.Parse(await (await visitor.SendAsync(request)).Content.ReadAsStringAsync());
        Assert.Equal("dark", page.DocumentElement.GetAttribute("data-theme"));
        // The stored copy of the stranger's page is not handed to the visitor, nor the other way round.
        Assert.True(string.IsNullOrEmpty((await stranger.GetDocumentAsync("/services")).DocumentElement.GetAttribute("data-theme")));
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/caf\u00e9")]
    [InlineData("")]
    public async Task TheToggleOnlyReturnsToAPathOfThisSite(string returnUrl)
    {
        var answer = await app.CreatePlainClient().PostAsync(ThemePreference.Path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["theme"] = "light",
            ["returnUrl"] = returnUrl,
        }));

        Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
        Assert.Equal("/", answer.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AnUnknownChoiceForgetsTheCookieAndAMangledFormIsA400()
    {
        var client = app.CreatePlainClient();
        var forgotten = await client.PostAsync(ThemePreference.Path, new FormUrlEncodedContent(new Dictionary<string, string> { ["theme"] = "system" }));
        var mangled = new StringContent("--x\r\nContent-Disposition: form-data; name=\"theme\"\r\n\r\ndark", System.Text.Encoding.UTF8);
        mangled.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");

        var broken = await client.PostAsync(ThemePreference.Path, mangled);

        Assert.Equal(HttpStatusCode.SeeOther, forgotten.StatusCode);
        Assert.Contains(forgotten.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("theme=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }
}
