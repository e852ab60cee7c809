using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;

namespace Portfolio.Tests.Site;

/// <summary>
/// The booking page (/team/{slug}/book) and the manage page (/bookings/manage/{token}), posted as a
/// browser without script would post them. The fixture's clock starts on Monday 2 November 2026, 09:00
/// UTC; Talha (Europe/London, 24 h notice, 45-minute slots) is first free on Tuesday 3 November, 09:30.
/// </summary>
public sealed class BookingPagesTests(FormPagesApp app) : IClassFixture<FormPagesApp>
{
    private const string BookPath = "/team/talha/book";

    [Fact]
    public async Task TheBookingPageShowsTheMonthWithItsFreeDaysAsLinksAndTheFirstFreeDaysTimesInTheExpertsZoneOrTheChosenOne()
    {
        var client = HtmlForm.CreateBrowserClient(app);

        var page = await client.GetDocumentAsync(BookPath);

        Assert.Equal("Europe/London", page.QuerySelector("#booking-tz option[selected]")?.GetAttribute("value"));
        Assert.Equal("November 2026", page.QuerySelector(".month__title")!.TextContent.Trim());
        // Today (Monday 2 November) is inside the 24 hours' notice: no link; the first free day is chosen.
        Assert.Null(page.QuerySelector("a[data-day='2026-11-02']"));
        Assert.Contains("no free times, today", page.QuerySelector("[data-day='2026-11-02']")!.TextContent, StringComparison.Ordinal);
        var chosen = page.QuerySelector("a[aria-current=date]")!;
        Assert.Equal("2026-11-03", chosen.GetAttribute("data-day"));
        Assert.Contains("Tuesday 3 November", chosen.TextContent, StringComparison.Ordinal);
        Assert.Single(page.QuerySelectorAll("[aria-current=date]"));
        Assert.Equal("Tuesday 3 November", page.QuerySelector("#booking-times-heading")!.TextContent.Trim());
        var first = page.QuerySelector("#booking-times a.time-link")!;
        Assert.Equal("2026-11-03T09:30:00Z", first.GetAttribute("data-start"));
        Assert.Equal("09:30–10:15", first.TextContent.Trim());
        Assert.Contains("start=2026-11-03T09%3A30%3A00Z", first.GetAttribute("href"), StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-02T14:00:00Z", BookingPageHtml.Times(page));
        // The details come only after a time is chosen.
        Assert.Null(page.QuerySelector("#booking-form"));
        // A day without free times is text, never a link; every in-month day is one or the other.
        Assert.All(page.QuerySelectorAll(".month__day--none"), day => Assert.Equal("SPAN", day.TagName));
        Assert.Equal(30, page.QuerySelectorAll(".month__grid [data-day]").Length);
        Assert.Equal("Book a consultation with Talha | TechNext", page.Title);
        Assert.Equal("http://localhost/team/talha/book", page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));

        var inNewYork = await client.GetDocumentAsync(BookPath + "?tz=America/New_York");
        var sameSlot = inNewYork.QuerySelector("#booking-times a.time-link[data-start='2026-11-03T09:30:00Z']")!;
        Assert.Equal("04:30–05:15", sameSlot.TextContent.Trim());
        Assert.Contains("tz=America%2FNew_York", sameSlot.GetAttribute("href"), StringComparison.Ordinal);
        Assert.All(BookingPageHtml.FreeDays(inNewYork), day => Assert.Contains("tz=America%2FNew_York", day.GetAttribute("href"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADayLinkShowsThatDaysTimesAndATimeLinkOpensTheDetailsStepThatRepeatsTheTime()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var month = await client.GetDocumentAsync(BookPath + "?tz=Asia/Tokyo");
        var thursday = month.QuerySelector("a[data-day='2026-11-05']")!;

        var day = await client.GetDocumentAsync(BookingPageHtml.Href(thursday));

        Assert.Equal("2026-11-05", day.QuerySelector("a[aria-current=date]")!.GetAttribute("data-day"));
        Assert.Equal("Thursday 5 November", day.QuerySelector("#booking-times-heading")!.TextContent.Trim());
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var starts = BookingPageHtml.Times(day);
        Assert.NotEmpty(starts);
        Assert.All(starts, start => Assert.Equal(new DateOnly(2026, 11, 5),
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.Parse(start, null, System.Globalization.DateTimeStyles.AdjustToUniversal), tokyo))));

        var time = day.QuerySelectorAll("#booking-times a.time-link")[1];
        var details = await client.GetDocumentAsync(BookingPageHtml.Href(time));

        var startUtc = DateTime.Parse(time.GetAttribute("data-start")!, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var local = TimeZoneInfo.ConvertTimeFromUtc(startUtc, tokyo);
        var expected = local.ToString("dddd d MMMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture) + "–" +
            local.AddMinutes(45).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(expected, details.QuerySelector("#booking-chosen")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Asia/Tokyo", details.QuerySelector("#booking-chosen")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(time.GetAttribute("data-start"), HtmlForm.Value(details, "#booking-form", "start"));
        Assert.Equal("Asia/Tokyo", HtmlForm.Value(details, "#booking-form", "tz"));
        Assert.NotNull(details.QuerySelector("#booking-form input[name=__RequestVerificationToken]"));
        // "Change the time" goes back to the same day's times.
        Assert.Contains("day=2026-11-05", details.QuerySelector("#booking-chosen a")!.GetAttribute("href"), StringComparison.Ordinal);

        // A time that is not free (here: not offered at all) is said at the day's times; no details form.
        var odd = await client.GetDocumentAsync(BookPath + "?start=2026-11-05T09:31:00Z");
        Assert.Null(odd.QuerySelector("#booking-form"));
        Assert.Contains("no longer free", odd.QuerySelector("#booking-times-error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCalendarPagesByWholeMonthsSoNoWeekIsShownTwiceAndStopsAtTheHorizon()
    {
        var client = HtmlForm.CreateBrowserClient(app);

        var november = await client.GetDocumentAsync(BookPath);
        Assert.Null(november.QuerySelector("a.month__paging[rel=prev]"));
        var next = november.QuerySelector("a.month__paging--next")!;
        Assert.Contains("month=2026-12", next.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains("tz=Europe%2FLondon", next.GetAttribute("href"), StringComparison.Ordinal);

        var december = await client.GetDocumentAsync(BookingPageHtml.Href(next));
        Assert.Equal("December 2026", december.QuerySelector(".month__title")!.TextContent.Trim());
        Assert.Empty(Days(november).Intersect(Days(december)));
        Assert.All(BookingPageHtml.Times(december), start => Assert.StartsWith("2026-12-", start, StringComparison.Ordinal));
        // Back goes to November exactly.
        Assert.Contains("month=2026-11", december.QuerySelector("a.month__paging[rel=prev]")!.GetAttribute("href"), StringComparison.Ordinal);

        // Paging ends with the month the horizon ends in; a month asked for past it shows that last month.
        var months = new List<string> { "November 2026", "December 2026" };
        var page = december;
        while (page.QuerySelector("a.month__paging--next") is { } later)
        {
            page = await client.GetDocumentAsync(BookingPageHtml.Href(later));
            months.Add(page.QuerySelector(".month__title")!.TextContent.Trim());
        }

        Assert.Equal(months.Distinct().Count(), months.Count);
        Assert.True(months.Count <= 4, string.Join(", ", months));
        var farOff = await client.GetDocumentAsync(BookPath + "?month=2099-01");
        Assert.Equal(months[^1], farOff.QuerySelector(".month__title")!.TextContent.Trim());

        static IEnumerable<string> Days(IDocument page) =>
            page.QuerySelectorAll(".month__grid [data-day]").Select(day => day.GetAttribute("data-day")!);
    }

    [Fact]
    public async Task BookingThroughTheFormLeadsToTheManagePageAndTheSlotLeavesTheList()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var (page, slot) = await BookingPageHtml.DetailsAsync(client, BookPath + "?tz=America/New_York", 4);

        var response = await HtmlForm.SubmitAsync(client, page, "#booking-form", Details(slot, "ada@example.com"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/bookings/manage/[A-Za-z0-9_-]{43}\\?booked=1$", location);

        var manage = await client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        Assert.Contains("no-store", manage.Headers.CacheControl?.ToString());
        var managePage = Html.Parse(await manage.Content.ReadAsStringAsync());
        Assert.Contains("We've e-mailed you an invitation", managePage.QuerySelector("#booking-confirmation")!.TextContent);
        Assert.Equal("Confirmed", managePage.QuerySelector("#booking-status")!.TextContent.Trim());
        Assert.Contains("(America/New_York)", managePage.QuerySelector("#booking-time")!.TextContent);
        Assert.Contains("(Europe/London)", managePage.QuerySelector(".details-list")!.TextContent);
        Assert.Equal("noindex", managePage.Meta("robots"));
        Assert.Equal("same-origin", managePage.Meta("referrer"));
        // The only links off the site are the meeting room and the add-to-calendar ones, and they send no Referer (this
        // page's address holds the token).
        var external = managePage.QuerySelectorAll("main a[href^='http'], main a[href^='//']");
        var room = managePage.QuerySelector("#booking-location a")?.GetAttribute("href");
        Assert.Equal(["https://calendar.google.com/", "https://outlook.live.com/"],
            external.Where(link => link.GetAttribute("href") != room).Select(link => new Uri(link.GetAttribute("href")!).GetLeftPart(UriPartial.Authority) + "/"));
        Assert.All(external, link => Assert.Contains("noreferrer", link.GetAttribute("rel"), StringComparison.Ordinal));
        // The add-to-calendar links carry the meeting place: the room made for this booking.
        Assert.StartsWith("https://meet.example/talha-", room, StringComparison.Ordinal);
        foreach (var calendar in new[] { "https://calendar.google.com/", "https://outlook.live.com/" })
        {
            var href = managePage.QuerySelector($".add-to-calendar a[href^='{calendar}']")!.GetAttribute("href")!;
            Assert.Contains("location=" + Uri.EscapeDataString(room!), href, StringComparison.Ordinal);
        }

        await app.WithDbAsync(async db =>
        {
            var booking = await db.Bookings.SingleAsync(b => b.Email == "ada@example.com");
            Assert.Equal(DateTime.Parse(slot, null, System.Globalization.DateTimeStyles.AdjustToUniversal), booking.StartUtc);
            Assert.Equal(BookingStatus.Confirmed, booking.Status);
            Assert.Equal("America/New_York", booking.ClientTimeZone);
            Assert.Equal("Analytical Engines", booking.Company);
        });
        var after = await client.GetDocumentAsync($"{BookPath}?day={slot[..10]}");
        Assert.DoesNotContain(slot, BookingPageHtml.Times(after));
    }

    [Fact]
    public async Task ASlotTakenMeanwhileShowsAClearMessageAndTheRefreshedList()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var (page, slot) = await BookingPageHtml.DetailsAsync(client, BookPath, 7);
        // Someone else books the same time between the visitor's GET and POST.
        await BookDirectlyAsync(slot, "first@example.com");

        var response = await HtmlForm.SubmitAsync(client, page, "#booking-form", Details(slot, "second@example.com"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var again = Html.Parse(await response.Content.ReadAsStringAsync());
        var summary = again.QuerySelector("#error-summary")!;
        Assert.Contains("no longer free", summary.TextContent);
        Assert.Equal("#" + again.QuerySelector("#booking-slots input[name=start]")!.Id, summary.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("no longer free", again.QuerySelector("#booking-slots-error")!.TextContent);
        Assert.Null(again.QuerySelector($"input[name=start][value='{slot}']"));
        Assert.Equal("Ada Lovelace", again.QuerySelector("#booking-name")!.GetAttribute("value"));
        await app.WithDbAsync(async db => Assert.False(await db.Bookings.AnyAsync(b => b.Email == "second@example.com")));
    }

    [Fact]
    public async Task InvalidInputIsShownAgainWithFieldErrorsAndTheValuesKept()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var (page, slot) = await BookingPageHtml.DetailsAsync(client, BookPath, 10);
        var details = Details(slot, "not-an-address");
        details["name"] = "   ";
        details["notes"] = "Keep these notes.";

        var response = await HtmlForm.SubmitAsync(client, page, "#booking-form", details);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var again = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("Error:", again.Title);
        Assert.Equal(["#booking-name", "#booking-email"], again.QuerySelectorAll("#error-summary a").Select(a => a.GetAttribute("href")));
        var name = again.QuerySelector("#booking-name")!;
        Assert.Equal("true", name.GetAttribute("aria-invalid"));
        Assert.Equal("booking-name-error", name.GetAttribute("aria-describedby"));
        Assert.Contains("Enter your name.", again.GetElementById("booking-name-error")!.TextContent);
        var email = again.QuerySelector("#booking-email")!;
        Assert.Equal("not-an-address", email.GetAttribute("value"));
        Assert.Equal("booking-email-hint booking-email-error", email.GetAttribute("aria-describedby"));
        Assert.Contains("like name@example.com", again.GetElementById("booking-email-error")!.TextContent);
        Assert.Equal("Architecture review", again.QuerySelector("#booking-topic")!.GetAttribute("value"));
        Assert.Equal("Keep these notes.", again.QuerySelector("#booking-notes")!.TextContent);
        Assert.Equal(slot, HtmlForm.Value(again, "#booking-form", "start"));
        Assert.Contains("Architecture review", again.QuerySelector("#booking-topic")!.GetAttribute("value"), StringComparison.Ordinal);
        Assert.NotNull(again.QuerySelector("#booking-chosen"));
    }

    [Fact]
    public async Task AStartThatIsNotOfferedIsRefusedWithAMessageAtTheSlotList()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var (page, _) = await BookingPageHtml.DetailsAsync(client, BookPath, 0);

        var response = await HtmlForm.SubmitAsync(client, page, "#booking-form", Details("2026-11-03T09:31:00Z", "odd@example.com"));

        var again = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("does not offer a consultation at that time", again.QuerySelector("#booking-slots-error")!.TextContent);
    }

    [Fact]
    public async Task TheManagePageCancelsTheBookingAndQueuesACancellationForTheCalendar()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var managePath = await BookThroughTheFormAsync(client, 13, "cancel@example.com");
        var manage = await client.GetDocumentAsync(managePath);

        var response = await HtmlForm.SubmitAsync(client, manage, "#cancel-form", []);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(managePath + "?cancelled=1", response.Headers.Location!.OriginalString);
        var cancelled = await client.GetDocumentAsync(managePath + "?cancelled=1");
        Assert.Equal("Cancelled", cancelled.QuerySelector("#booking-status")!.TextContent.Trim());
        Assert.Contains("cancelled", cancelled.QuerySelector("#booking-confirmation")!.TextContent);
        Assert.Null(cancelled.QuerySelector("#cancel-form"));
        Assert.Null(cancelled.QuerySelector("#move-form"));

        await app.WithDbAsync(async db =>
        {
            var booking = await db.Bookings.SingleAsync(b => b.Email == "cancel@example.com");
            Assert.Equal(BookingStatus.Cancelled, booking.Status);
            Assert.Equal(1, booking.Sequence);
            var mails = await db.EmailOutbox.Where(m => m.ToAddress == "cancel@example.com").OrderBy(m => m.Id).ToListAsync();
            Assert.Equal(2, mails.Count);
            Assert.Equal("REQUEST", mails[0].CalendarMethod);
            Assert.Equal("CANCEL", mails[1].CalendarMethod);
            Assert.Contains("METHOD:CANCEL", mails[1].Calendar);
            Assert.Contains("SEQUENCE:1", mails[1].Calendar);
            Assert.Equal(Uid(mails[0].Calendar!), Uid(mails[1].Calendar!));
        });
    }

    [Fact]
    public async Task TheManagePageMovesTheBookingAndSendsAnUpdatedInvitation()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var managePath = await BookThroughTheFormAsync(client, 16, "move@example.com");
        var manage = await client.GetDocumentAsync(managePath);
        var newSlot = manage.QuerySelectorAll("#move-slots input[name=start]").Select(input => input.GetAttribute("value")!).Last();
        Guid originalId = default;
        await app.WithDbAsync(async db => originalId = (await db.Bookings.SingleAsync(b => b.Email == "move@example.com")).Id);

        var response = await HtmlForm.SubmitAsync(client, manage, "#move-form", new() { ["start"] = newSlot });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(managePath + "?moved=1", response.Headers.Location!.OriginalString);
        var moved = await client.GetDocumentAsync(managePath + "?moved=1");
        Assert.Contains("has moved", moved.QuerySelector("#booking-confirmation")!.TextContent);
        await app.WithDbAsync(async db =>
        {
            var booking = await db.Bookings.SingleAsync(b => b.Email == "move@example.com");
            Assert.Equal(originalId, booking.Id);
            Assert.Equal(DateTime.Parse(newSlot, null, System.Globalization.DateTimeStyles.AdjustToUniversal), booking.StartUtc);
            Assert.Equal(1, booking.Sequence);
            var mails = await db.EmailOutbox.Where(m => m.ToAddress == "move@example.com").OrderBy(m => m.Id).ToListAsync();
            Assert.Equal(2, mails.Count);
            Assert.All(mails, mail => Assert.Equal("REQUEST", mail.CalendarMethod));
            Assert.Contains("SEQUENCE:0", mails[0].Calendar);
            Assert.Contains("SEQUENCE:1", mails[1].Calendar);
            Assert.Equal(Uid(mails[0].Calendar!), Uid(mails[1].Calendar!));
        });
    }

    [Fact]
    public async Task CloseToTheMeetingThePageSaysUntilWhenChangesWerePossible()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var managePath = await BookThroughTheFormAsync(client, 0, "late@example.com");
        DateTime start = default;
        await app.WithDbAsync(async db => start = (await db.Bookings.SingleAsync(b => b.Email == "late@example.com")).StartUtc);
        var before = app.Clock.GetUtcNow();
        // 23 hours before the meeting: inside the 24-hour minimum notice.
        app.Clock.Set(new DateTimeOffset(start.AddHours(-23), TimeSpan.Zero));
        try
        {
            var manage = await client.GetDocumentAsync(managePath);

            Assert.Null(manage.QuerySelector("#cancel-form"));
            Assert.Null(manage.QuerySelector("#move-form"));
            Assert.Contains("until 24 hours before", manage.QuerySelector("#booking-locked")!.TextContent);
            Assert.NotNull(manage.QuerySelector("#booking-locked a[href='/contact']"));
        }
        finally
        {
            app.Clock.Set(before);
        }
    }

    [Fact]
    public async Task AnUnknownTokenOrExpertIsNotFound()
    {
        var client = HtmlForm.CreateBrowserClient(app);

        var unknownToken = await client.GetAsync("/bookings/manage/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var malformedToken = await client.GetAsync("/bookings/manage/not%20a%20token");
        var unknownExpert = await client.GetAsync("/team/nobody-here/book");

        Assert.Equal(HttpStatusCode.NotFound, unknownToken.StatusCode);
        Assert.Contains("We couldn't find that page", Html.Parse(await unknownToken.Content.ReadAsStringAsync()).QuerySelector("h1")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, malformedToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownExpert.StatusCode);
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRejectedWith400()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var (page, start) = await BookingPageHtml.DetailsAsync(client, BookPath, 2);
        var details = Details(start, "forged@example.com");
        details["__RequestVerificationToken"] = null;

        var response = await HtmlForm.SubmitAsync(client, page, "#booking-form", details);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await app.WithDbAsync(async db => Assert.False(await db.Bookings.AnyAsync(b => b.Email == "forged@example.com")));
    }

    [Fact]
    public async Task APostWithAnotherVisitorsTokenIsRejectedWith400()
    {
        var visitor = HtmlForm.CreateBrowserClient(app);
        var attacker = HtmlForm.CreateBrowserClient(app);
        var (page, start) = await BookingPageHtml.DetailsAsync(attacker, BookPath, 3);
        await visitor.GetAsync(BookPath);

        // The attacker's page (and token) posted from the visitor's browser, i.e. with the visitor's cookie.
        var response = await HtmlForm.SubmitAsync(visitor, page, "#booking-form", Details(start, "csrf@example.com"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static Dictionary<string, string?> Details(string start, string email) => new()
    {
        ["start"] = start,
        ["name"] = "Ada Lovelace",
        ["email"] = email,
        ["company"] = "Analytical Engines",
        ["topic"] = "Architecture review",
        ["notes"] = "",
    };

    private static string Uid(string calendar) =>
        calendar.Split("\r\n").Single(line => line.StartsWith("UID:", StringComparison.Ordinal));

    private async Task<string> BookThroughTheFormAsync(HttpClient client, int slotIndex, string email)
    {
        var (page, start) = await BookingPageHtml.DetailsAsync(client, BookPath, slotIndex);
        var response = await HtmlForm.SubmitAsync(client, page, "#booking-form", Details(start, email));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.Location!.OriginalString.Split('?')[0];
    }

    private Task BookDirectlyAsync(string start, string email) =>
        app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var result = await bookings.BookAsync(
                new BookingRequest("talha", DateTime.Parse(start, null, System.Globalization.DateTimeStyles.AdjustToUniversal), "Someone Else", email, null, "Other", null, "Europe/London"),
                "http://localhost", null, CancellationToken.None);
            Assert.IsType<BookingResult.Created>(result);
        });
}
