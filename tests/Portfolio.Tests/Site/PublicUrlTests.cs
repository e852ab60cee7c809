using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Site;

/// <summary>
/// The app with <c>Site:PublicUrl</c> set and an operator's AllowedHosts that also lets <c>evil.example</c> through, so
/// that a request with that Host reaches the code that builds links: they must still point at the public URL.
/// </summary>
public sealed class PublicUrlWithForeignHostAllowedApp : PortfolioApp
{
    public const string PublicUrl = "https://www.example.com";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Site:PublicUrl", PublicUrl);
        builder.UseSetting("AllowedHosts", "www.example.com;evil.example;localhost");
        builder.UseSetting("RateLimiting:BookingWrites:PermitLimit", "1000");
    }
}

/// <summary>The app with <c>Site:PublicUrl</c> and the shipped <c>AllowedHosts: "*"</c>: the allowed hosts come from the URL.</summary>
public sealed class PublicUrlApp : PortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Site:PublicUrl", PublicUrlWithForeignHostAllowedApp.PublicUrl);
        builder.UseSetting("AllowedHosts", "*");
    }
}

/// <summary>
/// Issue 13, finding 1: with no public base URL configured, a booking sent with <c>Host: evil.example</c> answered
/// <c>manageUrl: http://evil.example/bookings/manage/…</c> and the client's genuine confirmation mail and invitation
/// carried that link. Links now come from <c>Site:PublicUrl</c>, other hosts are refused, and Production does not
/// start without it.
/// </summary>
public sealed class PublicUrlTests(PublicUrlWithForeignHostAllowedApp app) : IClassFixture<PublicUrlWithForeignHostAllowedApp>
{
    private const string ForeignHost = "evil.example";
    private static readonly string ManagePrefix = PublicUrlWithForeignHostAllowedApp.PublicUrl + "/bookings/manage/";

    [Fact]
    public async Task Finding01_ABookingThroughTheApiWithAForeignHostGetsAManageUrlAndMailsWithThePublicUrlOnly()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{ForeignHost}/") });
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 14))[1];
        var body = ApiCalls.Booking(slot.Start);
        body["email"] = "finding01.api@example.com";

        var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var booking = (await response.Content.ReadFromJsonAsync<BookingAnswer>())!;
        Assert.StartsWith(ManagePrefix, booking.ManageUrl, StringComparison.Ordinal);
        await AssertMailsLinkOnlyToThePublicUrlAsync("finding01.api@example.com", booking.ManageUrl);
    }

    [Fact]
    public async Task Finding01_ABookingThroughTheFormWithAForeignHostSendsMailsWithThePublicUrlOnly()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri($"http://{ForeignHost}/"), AllowAutoRedirect = false, HandleCookies = true,
        });
        var page = await client.GetDocumentAsync("/team/talha/book");
        Assert.Equal(PublicUrlWithForeignHostAllowedApp.PublicUrl + "/team/talha/book", page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Equal(PublicUrlWithForeignHostAllowedApp.PublicUrl + "/team/talha/book", page.QuerySelector("meta[property='og:url']")?.GetAttribute("content"));
        var (details, slot) = await BookingPageHtml.DetailsAsync(client, "/team/talha/book", 3);

        var response = await HtmlForm.SubmitAsync(client, details, "#booking-form", new Dictionary<string, string?>
        {
            ["start"] = slot, ["name"] = "Ada Lovelace", ["email"] = "finding01.form@example.com", ["company"] = null,
            ["topic"] = "Caching", ["notes"] = null,
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var token = response.Headers.Location!.OriginalString.Split('?')[0]["/bookings/manage/".Length..];
        await AssertMailsLinkOnlyToThePublicUrlAsync("finding01.form@example.com", ManagePrefix + token);
    }

    [Theory]
    [InlineData("/sitemap.xml")]
    [InlineData("/robots.txt")]
    [InlineData("/articles/feed.xml")]
    public async Task Finding01_SeoDocumentsRequestedWithAForeignHostLinkToThePublicUrl(string path)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{ForeignHost}/") });

        var text = await client.GetStringAsync(path);

        Assert.Contains(PublicUrlWithForeignHostAllowedApp.PublicUrl + "/", text, StringComparison.Ordinal);
        Assert.DoesNotContain(ForeignHost, text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The client's confirmation (HTML, text, invitation) has the manage link; no mail about the booking names the foreign host.</summary>
    private async Task AssertMailsLinkOnlyToThePublicUrlAsync(string email, string manageUrl)
    {
        var folder = MailPickup.Folder(app.ContentRoot);
        var confirmation = await MailPickup.WaitForAsync(folder, mail => mail.IsTo(email), $"to {email}");
        var notification = await MailPickup.WaitForAsync(folder,
            mail => (mail.Header("Reply-To") ?? "").Contains(email, StringComparison.OrdinalIgnoreCase), $"about {email} to the owner");

        Assert.Contains(manageUrl, confirmation.PlainText, StringComparison.Ordinal);
        Assert.Contains(manageUrl, confirmation.Part("text/html")!.Text, StringComparison.Ordinal);
        Assert.Contains(manageUrl, confirmation.CalendarProperty("DESCRIPTION"), StringComparison.Ordinal);
        foreach (var mail in new[] { confirmation, notification })
        {
            Assert.All(mail.Parts, part => Assert.DoesNotContain(ForeignHost, part.Text, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(ForeignHost, mail.Raw, StringComparison.OrdinalIgnoreCase);
        }
    }
}

/// <summary>Issue 13, finding 1: with <c>Site:PublicUrl</c> set and AllowedHosts left at <c>*</c>, only the public host (and loopback, for probes) is answered.</summary>
public sealed class PublicUrlHostFilteringTests(PublicUrlApp app) : IClassFixture<PublicUrlApp>
{
    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/team/talha/book")]
    [InlineData("POST", ApiCalls.Bookings)]
    public async Task Finding01_ARequestForAnotherHostIsRefusedWith400(string method, string path)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.example/") });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            var body = ApiCalls.Booking(new DateTime(2026, 11, 3, 9, 30, 0, DateTimeKind.Utc));
            body["email"] = "finding01.refused@example.com";
            request.Content = ApiCalls.Json(body);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await app.WithDbAsync(async db => Assert.False(await db.Bookings.AnyAsync(b => b.Email == "finding01.refused@example.com")));
    }

    /// <summary>Not a regression test of the finding but its guard: refusing other hosts must not refuse the site's own or a probe's.</summary>
    [Theory]
    [InlineData("www.example.com", "/")]
    [InlineData("WWW.Example.com:8443", "/")]
    [InlineData("localhost", "/health/live")]
    [InlineData("127.0.0.1:8080", "/health/ready")]
    [InlineData("[::1]", "/health/live")]
    public async Task WithAPublicUrlThePublicHostAndLoopbackNamesForHealthProbesAreStillAnswered(string host, string path)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{host}/") });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Finding01_InProductionTheAppDoesNotStartWithoutAPublicUrlAndSaysSoInOneLine()
    {
        // PortfolioProcess runs the app as Production; an empty value is how an unset key looks to the app.
        var (exitCode, lines) = await PortfolioProcess.RunUntilExitAsync(["--Site:PublicUrl="], TimeSpan.FromSeconds(60));

        Assert.Equal(StartupProblem.ExitCode, exitCode);
        var line = Assert.Single(lines, line => !string.IsNullOrWhiteSpace(line));
        Assert.Contains("FTL", line, StringComparison.Ordinal);
        Assert.Contains("Site:PublicUrl", line, StringComparison.Ordinal);
    }
}
