using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Portfolio.Tests.Backoffice;

namespace Portfolio.Tests.Infrastructure;

/// <summary>The backoffice app (log captured, users made on demand) with its rate limits out of the way.</summary>
public sealed class UnthrottledBackofficeApp : BackofficeApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        UnthrottledPortfolioApp.RaiseRateLimits(builder);
    }
}

/// <summary>
/// Requests a browser would never send to a page (issue 13, findings 6, 8 and 9): an unreadable form is a 400 with the
/// friendly page and a warning in the log, never a 500; the antiforgery cookie is Secure over HTTPS; a page answers
/// only GET, HEAD and POST, anything else with 405 and <c>Allow</c>.
/// </summary>
public sealed class MalformedRequestTests(UnthrottledBackofficeApp app) : IClassFixture<UnthrottledBackofficeApp>
{
    private const string FormType = "application/x-www-form-urlencoded";

    /// <summary>Bodies the framework's form reader refuses; <c>{token}</c> is replaced by a valid antiforgery token.</summary>
    private static readonly Dictionary<string, (string ContentType, Func<string> Body)> UnreadableForms = new()
    {
        ["a NUL in a field"] = (FormType, () => "__RequestVerificationToken={token}&Email=ada%00%40example.com&Password=x"),
        ["more than 1,024 fields"] = (FormType, () => "__RequestVerificationToken={token}&" + string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1"))),
        ["a key over 2,048 characters"] = (FormType, () => "__RequestVerificationToken={token}&" + new string('k', 2100) + "=1"),
        ["a value over 4 MB"] = (FormType, () => "__RequestVerificationToken={token}&Email=" + new string('v', 4 * 1024 * 1024 + 10)),
        ["a multipart body cut short"] = ("multipart/form-data; boundary=XyZ",
            () => "--XyZ\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"Email\"\r\n\r\nada"),
        ["a multipart body without a boundary"] = ("multipart/form-data", () => "Email=ada"),
    };

    public static TheoryData<string, string> UnreadableFormCases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var form in UnreadableForms.Keys)
        {
            // A public form, the backoffice's sign-in (anonymous) and a backoffice form behind sign-in.
            foreach (var page in new[] { "/contact", "/umbraco/login", "/umbraco/users/invite" })
            {
                cases.Add(form, page);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(UnreadableFormCases))]
    public async Task Finding06_AnUnreadableFormIsA400WithTheFriendlyPageAndAWarningNotA500(string form, string page)
    {
        var client = app.CreateBrowser();
        if (page.StartsWith("/umbraco/users", StringComparison.Ordinal))
        {
            // User management wants the password confirmed after sign-in, else its form is never shown.
            client = await app.AdministratorWithConfirmedPasswordAsync();
        }

        var token = await client.AntiforgeryTokenAsync(page);
        var (contentType, body) = UnreadableForms[form];
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body().Replace("{token}", token, StringComparison.Ordinal)));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var linesBefore = app.Log.Lines.Count;

        var response = await client.PostAsync(page, content);

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{form} on {page}: {(int)response.StatusCode}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("We couldn't handle that request", Html.Parse(html).QuerySelector("main h1")?.TextContent.Trim());
        var lines = app.Log.Lines.Skip(linesBefore).ToList();
        Assert.Contains(lines, line => line.Level == LogLevel.Warning && line.Message.Contains(page, StringComparison.Ordinal) &&
                                       line.Message.Contains("form could not be read", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Level >= LogLevel.Error);
    }

    [Theory]
    [InlineData("/contact")]
    [InlineData("/umbraco/login")]
    public async Task Finding08_TheAntiforgeryCookieIsSecureOverHttpsAndStillSetOverPlainHttp(string page)
    {
        var overHttps = await app.CreateBrowser().GetAsync(page);
        var overHttp = await app.CreateClient().GetAsync(page);

        var secureCookie = AntiforgeryCookie(overHttps);
        Assert.Contains("secure", Attributes(secureCookie));
        Assert.Contains("httponly", Attributes(secureCookie));
        // Plain http://localhost (dotnet run) keeps working: a Secure cookie would not come back over it.
        Assert.DoesNotContain("secure", Attributes(AntiforgeryCookie(overHttp)));
    }

    [Fact]
    public async Task Finding08_TheTimeZoneCookieIsSecureOverHttps()
    {
        var (client, _) = await app.SignedInAsync("Administrator");

        var response = await client.GetAsync("/umbraco/bookings?tz=Europe/Berlin");

        var cookie = response.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith(BackofficeTimeZone.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("secure", Attributes(cookie));
    }

    [Theory]
    [InlineData("TRACE", "/")]
    [InlineData("OPTIONS", "/")]
    [InlineData("TRACE", "/team/talha")]
    [InlineData("OPTIONS", "/contact")]
    [InlineData("PUT", "/contact")]
    [InlineData("DELETE", "/articles")]
    [InlineData("PATCH", "/services")]
    [InlineData("PROPFIND", "/engineering")]
    [InlineData("TRACE", "/umbraco/login")]
    [InlineData("OPTIONS", "/umbraco")]
    public async Task Finding09_AMethodAPageDoesNotTakeIsA405WithAllow(string method, string page)
    {
        var response = await app.CreateBrowser().SendAsync(new HttpRequestMessage(new HttpMethod(method), page));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD", "POST"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
        // The friendly page, not the requested page's template run without its handler.
        var document = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("We couldn't handle that request", document.QuerySelector("main h1")?.TextContent.Trim());
    }

    [Theory]
    [InlineData("GET", "/team/talha")]
    [InlineData("HEAD", "/team/talha")]
    [InlineData("HEAD", "/umbraco/login")]
    public async Task Finding09_GetAndHeadStillAnswerAPage(string method, string page)
    {
        var response = await app.CreateBrowser().SendAsync(new HttpRequestMessage(new HttpMethod(method), page));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=utf-7", "name=Ada", 415)]
    [InlineData("application/x-www-form-urlencoded", "name=Ada&a[=1&b]]=2", 200)]
    public async Task FuzzFound_AFormInACharsetNotReadOrWithAJQueryStyleKeyIsNotA500(string contentType, string fields, int status)
    {
        var client = app.CreateBrowser();
        var token = await client.AntiforgeryTokenAsync("/contact");
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&{fields}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await client.PostAsync("/contact", content);

        // The charset is refused before the form is read; the odd keys are ignored and the form fails its own checks.
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    private static string AntiforgeryCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));

    private static IEnumerable<string> Attributes(string setCookie) =>
        setCookie.Split(';').Skip(1).Select(attribute => attribute.Trim().Split('=')[0].ToLowerInvariant());
}
