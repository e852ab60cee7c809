using Microsoft.AspNetCore.DataProtection;
using Portfolio.Tests.Infrastructure;
using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Backoffice;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Booking;

/// <summary>The app with a calendar host on loopback (allowed here: BusyCalendar:AllowPrivateAddresses) and a 1-second fetch limit.</summary>
public sealed class BusyCalendarApp : BackofficeApp
{
    public FeedServer Feeds { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        .. base.Settings,
        new("Email:Dispatcher:Enabled", "false"),
        new("Retention:Enabled", "false"),
        new("BusyCalendar:AllowPrivateAddresses", "true"),
        new("BusyCalendar:Timeout", "00:00:01"),
        // The job stays out of the way (it would claim feeds the tests refresh); the tests run the refresher themselves.
        new("BusyCalendar:Enabled", "false"),
        new("BusyCalendar:Interval", "01:00:00"),
    ];

    protected override async Task BeforeAppStartsAsync() => Feeds = await FeedServer.StartAsync();

    protected override async Task AfterAppStoppedAsync() => await Feeds.DisposeAsync();

    public async Task<Guid> ExpertKeyAsync(string slug) =>
        await WithScopeAsync(async services => (await services.GetRequiredService<PublishedContentCache>().GetAsync(CancellationToken.None))
            .Find<ExpertProfile>(slug)!.Key);

    /// <summary>Forgets every feed (each test starts clean) and gives the expert one at the server's path.</summary>
    public async Task<Guid> UseFeedAsync(string slug, string urlOrPath)
    {
        var key = await ExpertKeyAsync(slug);
        await WithDbAsync(db => db.ExpertBusyFeeds.ExecuteDeleteAsync());
        var url = urlOrPath.StartsWith('/') ? Feeds.BaseUrl + urlOrPath : urlOrPath;
        await WithScopeAsync(services => services.GetRequiredService<BusyCalendarStore>().SetUrlAsync(key, new Uri(url), Clock.GetUtcNow().UtcDateTime, CancellationToken.None));
        return key;
    }

    public Task<int> RefreshAsync() =>
        WithScopeAsync(services => services.GetRequiredService<BusyCalendarRefresher>().RefreshDueAsync(CancellationToken.None));

    public Task<ExpertBusyFeed> FeedAsync(Guid key) =>
        WithScopeAsync(services => services.GetRequiredService<Portfolio.Web.Data.PortfolioDbContext>().ExpertBusyFeeds.AsNoTracking().SingleAsync(feed => feed.ExpertKey == key));

    public Task<List<BusyRange>> IntervalsAsync(Guid key) =>
        WithScopeAsync(services => services.GetRequiredService<BusyCalendarStore>().IntervalsAsync(key, DateTime.MinValue, DateTime.MaxValue, CancellationToken.None));
}

/// <summary>
/// Issue 14, part C: busy times from the expert's own calendar. The feed is fetched from a real HTTP server; each rule
/// runs on SQLite and PostgreSQL (PORTFOLIO_TEST_DB). The clock is Monday 2 November 2026, 09:00 UTC; Talha works in
/// Europe/London (UTC in November) and offers 09:30, 10:30, 11:30, 14:00, 15:00 and 16:00 on Mondays (45 minutes, 15 minutes' buffer).
/// </summary>
public sealed class BusyCalendarFeedTests(BusyCalendarApp app) : IClassFixture<BusyCalendarApp>
{
    /// <summary>
    /// A weekly meeting at 10:15-10:45 in New York (15:15-15:45 UTC in November), a "free" (transparent) event at 09:30 and
    /// a cancelled one at 11:30 on Monday 9 November, and an all-day event on Tuesday 10 November.
    /// </summary>
    private const string Calendar = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Tests//Feed//EN
        BEGIN:VEVENT
        UID:weekly@test
        DTSTAMP:20261101T000000Z
        DTSTART;TZID=America/New_York:20261102T101500
        DTEND;TZID=America/New_York:20261102T104500
        RRULE:FREQ=WEEKLY;BYDAY=MO
        SUMMARY:Standing call
        END:VEVENT
        BEGIN:VEVENT
        UID:free@test
        DTSTAMP:20261101T000000Z
        DTSTART:20261109T093000Z
        DTEND:20261109T103000Z
        TRANSP:TRANSPARENT
        SUMMARY:Reminder only
        END:VEVENT
        BEGIN:VEVENT
        UID:cancelled@test
        DTSTAMP:20261101T000000Z
        DTSTART:20261109T113000Z
        DTEND:20261109T121500Z
        STATUS:CANCELLED
        SUMMARY:Called off
        END:VEVENT
        BEGIN:VEVENT
        UID:allday@test
        DTSTAMP:20261101T000000Z
        DTSTART;VALUE=DATE:20261110
        DTEND;VALUE=DATE:20261111
        SUMMARY:Conference
        END:VEVENT
        END:VCALENDAR
        """;

    [Fact]
    public async Task ARecurringEventInItsOwnTimeZoneBlocksTheRightSlotsAndFreeOrCancelledEventsDoNot()
    {
        app.Feeds.Calendars["/talha.ics"] = Calendar.ReplaceLineEndings("\r\n");
        var key = await app.UseFeedAsync("talha", "/talha.ics");

        Assert.Equal(1, await app.RefreshAsync());
        Assert.Null((await app.FeedAsync(key)).LastError);

        var client = app.CreateClient();
        var monday = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-09", 1)).Select(slot => slot.ExpertLocalStart[11..16]);
        Assert.Equal(["09:30", "10:30", "11:30", "14:00", "16:00"], monday);
        Assert.Empty(await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-10", 1));
        // The next Monday too: the rule is expanded over the booking horizon.
        Assert.DoesNotContain("15:00", (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-16", 1)).Select(slot => slot.ExpertLocalStart[11..16]));

        // Booking the blocked time is refused as taken, whatever the client sends.
        var booked = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(ApiCalls.Booking(new DateTime(2026, 11, 9, 15, 0, 0, DateTimeKind.Utc))));
        Assert.Equal(HttpStatusCode.Conflict, booked.StatusCode);
    }

    [Fact]
    public async Task TheNextFetchAsksWithTheETagAndA304KeepsTheBusyTimes()
    {
        app.Feeds.Calendars["/etag.ics"] = Calendar;
        var key = await app.UseFeedAsync("talha", "/etag.ics");
        await app.RefreshAsync();
        var first = await app.FeedAsync(key);
        var intervals = await app.IntervalsAsync(key);
        Assert.NotEmpty(intervals);
        Assert.NotNull(first.ETag);

        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await app.RefreshAsync());

        var second = await app.FeedAsync(key);
        Assert.Equal(first.ETag, app.Feeds.IfNoneMatch.Last());
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, second.FetchedUtc);
        Assert.Null(second.LastError);
        Assert.Equal(intervals, await app.IntervalsAsync(key));
    }

    [Fact]
    public async Task ASlowCalendarIsGivenUpAtTheTimeLimitAndTheLastGoodCopyStaysInUse()
    {
        app.Feeds.Calendars["/slow-later.ics"] = Calendar;
        var key = await app.UseFeedAsync("talha", "/slow-later.ics");
        await app.RefreshAsync();
        var good = await app.IntervalsAsync(key);

        // The same feed now hangs.
        await app.WithDbAsync(async db =>
        {
            var feed = await db.ExpertBusyFeeds.SingleAsync(row => row.ExpertKey == key);
            feed.ProtectedUrl = app.Services.GetRequiredService<IDataProtectionProvider>()
                .CreateProtector("Portfolio.Booking.BusyCalendarUrl").Protect(app.Feeds.BaseUrl + "/slow.ics");
            await db.SaveChangesAsync();
        });
        app.Clock.Advance(TimeSpan.FromHours(1));
        var watch = Stopwatch.StartNew();
        await app.RefreshAsync();
        watch.Stop();

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        var feedAfter = await app.FeedAsync(key);
        Assert.Equal("The calendar server did not answer within 1 seconds.", feedAfter.LastError);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, feedAfter.FailingSinceUtc);
        Assert.Equal(good, await app.IntervalsAsync(key));
        Assert.DoesNotContain("15:00", (await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-09", 1)).Select(slot => slot.ExpertLocalStart[11..16]));
    }

    [Fact]
    public async Task ACalendarThatGoesDownOrAnswersGarbageKeepsTheLastGoodCopyAndTheOwnerSeesItIsStale()
    {
        app.Feeds.Calendars["/flaky.ics"] = Calendar;
        var key = await app.UseFeedAsync("talha", "/flaky.ics");
        await app.RefreshAsync();
        var good = await app.IntervalsAsync(key);
        var fetched = (await app.FeedAsync(key)).FetchedUtc;

        app.Feeds.Failing["/flaky.ics"] = 503;
        app.Clock.Advance(TimeSpan.FromHours(1));
        var failingSince = app.Clock.GetUtcNow().UtcDateTime;
        await app.RefreshAsync();
        Assert.Equal("The calendar server answered 503 Service Unavailable.", (await app.FeedAsync(key)).LastError);

        app.Feeds.Failing.TryRemove("/flaky.ics", out _);
        app.Feeds.Calendars["/flaky.ics"] = "<html>We moved!</html>";
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.RefreshAsync();

        var feed = await app.FeedAsync(key);
        Assert.StartsWith("The feed is not an iCalendar file.", feed.LastError);
        Assert.Equal(failingSince, feed.FailingSinceUtc);
        Assert.Equal(fetched, feed.FetchedUtc);
        Assert.Equal(good, await app.IntervalsAsync(key));
        Assert.NotEmpty(await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-09", 1));

        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var page = (await owner.GetDocumentAsync("/umbraco/availability/talha")).Text();
        Assert.Contains($"Out of date since {failingSince:d MMM yyyy HH:mm} UTC", page);
        Assert.Contains("The feed is not an iCalendar file.", page);
        Assert.Contains("Slots are still checked against the last good copy.", page);

        // The server is back: the error goes away.
        app.Feeds.Calendars["/flaky.ics"] = Calendar;
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.RefreshAsync();
        Assert.Null((await app.FeedAsync(key)).LastError);
        Assert.Null((await app.FeedAsync(key)).FailingSinceUtc);
    }

    [Fact]
    public async Task ACalendarServerThatIsDownIsReportedInWords()
    {
        var key = await app.UseFeedAsync("talha", $"http://127.0.0.1:{FreePort.Next()}/calendar.ics");

        await app.RefreshAsync();

        Assert.Equal("The calendar server could not be reached.", (await app.FeedAsync(key)).LastError);
        Assert.Empty(await app.IntervalsAsync(key));
        Assert.Equal(6, (await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-09", 1)).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFiftyMegabyteCalendarIsRefusedByTheLimitWithoutBeingReadWhole(bool declaredLength)
    {
        var key = await app.UseFeedAsync("talha", app.Feeds.HugeUrl(declaredLength));
        var before = app.Feeds.HugeBytesSent;

        await app.RefreshAsync();

        Assert.Equal("The calendar is larger than 5 MB and was not read.", (await app.FeedAsync(key)).LastError);
        // What the server got out before the client closed: at most the limit plus what the sockets' buffers hold, far
        // from 50 MB. The server may still be sending into the buffers for a moment.
        await Task.Delay(500);
        Assert.InRange(app.Feeds.HugeBytesSent - before, 0, 16L * 1024 * 1024);
    }

    [Fact]
    public async Task OfSeveralInstancesRefreshingAtOnceExactlyOneFetchesADueFeed()
    {
        app.Feeds.Calendars["/claimed.ics"] = Calendar;
        // A fetch that takes a while, so that every run has asked which feeds are due before the first one is done.
        app.Feeds.Delays["/claimed.ics"] = TimeSpan.FromMilliseconds(500);
        await app.UseFeedAsync("talha", "/claimed.ics");
        app.Feeds.Requests.TryRemove("/claimed.ics", out _);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var runs = Enumerable.Range(0, 4).Select(async _ =>
        {
            await gate.Task;
            return await app.RefreshAsync();
        }).ToList();
        gate.SetResult();
        var fetched = await Task.WhenAll(runs);

        Assert.Equal(1, fetched.Sum());
        Assert.Equal(1, app.Feeds.Requests.GetValueOrDefault("/claimed.ics"));
    }

    [Fact]
    public async Task TheOwnersCalendarAddressIsStoredEncryptedAndNeverShownOrLoggedAgain()
    {
        await app.WithDbAsync(db => db.ExpertBusyFeeds.ExecuteDeleteAsync());
        app.Feeds.Calendars["/private/s3cr3t-token/basic.ics"] = Calendar;
        var url = app.Feeds.BaseUrl + "/private/s3cr3t-token/basic.ics";
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);

        var saved = await owner.SubmitAsync("/umbraco/availability/talha", new() { ["FeedUrl"] = url }, "form[action$='handler=BusyFeed']");
        Assert.Equal("/umbraco/availability/talha?status=feed-saved", saved.Headers.Location?.PathAndQuery());
        await app.RefreshAsync();

        var page = await owner.GetStringAsync("/umbraco/availability/talha");
        Assert.DoesNotContain("s3cr3t-token", page);
        Assert.Contains("Calendar at http://127.0.0.1/…", (await owner.GetDocumentAsync("/umbraco/availability/talha")).Text());
        var key = await app.ExpertKeyAsync("talha");
        var feed = await app.FeedAsync(key);
        Assert.DoesNotContain("s3cr3t-token", feed.ProtectedUrl);
        Assert.NotEmpty(await app.IntervalsAsync(key));
        Assert.DoesNotContain(app.Log.Lines, line => line.Message.Contains("s3cr3t-token", StringComparison.Ordinal));

        // Only http and https.
        var refused = await owner.SubmitAsync("/umbraco/availability/talha", new() { ["FeedUrl"] = "file:///etc/passwd" }, "form[action$='handler=BusyFeed']");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Only http and https calendar addresses can be used.", await refused.Content.ReadAsStringAsync());
    }
}
