using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Tests.Site;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Booking;

/// <summary>
/// The app logging every level of every category but EF Core's (the framework's debug and trace events name paths, route
/// values and a handler's arguments), its log file flushed often.
/// </summary>
public sealed class VerboseLogPortfolioApp : UnthrottledPortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Verbose");
        builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Verbose");
        builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime", "Verbose");
        builder.UseSetting("Logs:FileFlushInterval", "00:00:00.050");
    }
}

/// <summary>
/// Finding 5 of issue 13: the log had a booking's manage token in the <c>RequestPath</c> of every event of a request to its
/// manage page (704 lines in one run), although the request line itself was redacted.
/// </summary>
public sealed class ManageTokenLogTests(VerboseLogPortfolioApp app) : IClassFixture<VerboseLogPortfolioApp>
{
    [Fact]
    public async Task Finding05_NoLogEventOfABookingItsReplayItsManagePageOrItsCancellationCarriesTheToken()
    {
        const string email = "finding05.log@example.com";
        var client = HtmlForm.CreateBrowserClient(app);
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 28))[0];
        var body = ApiCalls.Booking(slot.Start);
        body["email"] = email;
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(client, body, key);
        var replay = await PostAsync(client, body, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        var manageUrl = (await first.Content.ReadFromJsonAsync<BookingAnswer>())!.ManageUrl;
        var token = manageUrl[(manageUrl.LastIndexOf('/') + 1)..];
        var path = "/bookings/manage/" + token;
        var manage = await client.GetDocumentAsync(path);
        // Routing ignores case, so a link typed in capitals reaches the page too; a path below it does not.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/BOOKINGS/MANAGE/" + token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path + "/nothing-here")).StatusCode);
        var cancelled = await HtmlForm.SubmitAsync(client, manage, "#cancel-form", []);
        Assert.Equal(HttpStatusCode.SeeOther, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(cancelled.Headers.Location!.OriginalString)).StatusCode);
        // The mails (confirmation and cancellation, each with the expert's and the owner's copy) are sent and logged as well.
        await WaitUntilAsync(async () => await app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>()
            .EmailOutbox.CountAsync(mail => (mail.ToAddress == email || mail.ReplyTo == email) && mail.Status == EmailStatus.Sent)) == 6);
        var marker = $"/finding05-{Guid.NewGuid():N}";
        await client.GetAsync(marker);

        var lines = await LogLinesUntilAsync(marker);

        Assert.DoesNotContain(lines, line => line.Contains(token, StringComparison.Ordinal));
        // The events were there, the path in them redacted: every event of a request carries its path (the hosting scope).
        var others = lines.Count(line => line.Contains("/bookings/manage/{token}", StringComparison.Ordinal)
                                         && !line.Contains("Serilog.AspNetCore.RequestLoggingMiddleware", StringComparison.Ordinal));
        Assert.True(others > 20, $"Only {others} events named the manage page.");
        Assert.True(lines.Any(line => line.Contains("\"RequestPath\":", StringComparison.Ordinal) && line.Contains("/bookings/manage/{token}", StringComparison.Ordinal)
                                      && !line.Contains("Serilog.AspNetCore.RequestLoggingMiddleware", StringComparison.Ordinal)),
            string.Join('\n', lines.Where(line => line.Contains("/bookings/manage/", StringComparison.Ordinal)).Take(5)));
    }

    [Fact]
    public async Task NoLogEventOfARequestForAnExpertsCalendarFeedCarriesItsToken()
    {
        var expertKey = await app.WithScopeAsync(async services =>
            (await services.GetRequiredService<Portfolio.Web.Booking.BookingService>().FindExpertAsync("talha", default))!.Key);
        var token = await app.WithScopeAsync(services =>
            services.GetRequiredService<Portfolio.Web.Booking.ExpertCalendarFeeds>().CreateOrRotateAsync(expertKey, default));
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/bookings/calendar/" + token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/bookings/calendar/" + token[..^1] + "x")).StatusCode);
        var marker = $"/feed-log-{Guid.NewGuid():N}";
        await client.GetAsync(marker);

        var lines = await LogLinesUntilAsync(marker);

        Assert.DoesNotContain(lines, line => line.Contains(token[..20], StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("HTTP GET /bookings/calendar/{token} responded 200", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiCalls.Bookings) { Content = ApiCalls.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>The log file's lines once the request line of <paramref name="lastPath"/> is in it: everything before it is too.</summary>
    private async Task<List<string>> LogLinesUntilAsync(string lastPath)
    {
        var lines = new List<string>();
        await WaitUntilAsync(() =>
        {
            lines = ReadLog();
            return Task.FromResult(lines.Any(line => line.Contains($"HTTP GET {lastPath} responded", StringComparison.Ordinal)));
        });
        return lines;
    }

    private List<string> ReadLog()
    {
        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(app.ContentRoot, "umbraco", "Logs"), "*.log"))
        {
            // The app still has the file open.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(100);
        }
    }
}
