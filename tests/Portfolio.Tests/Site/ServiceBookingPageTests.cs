using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Site;

/// <summary>
/// A service's booking page (<c>/services/{slug}/book</c>): any available expert, through the same month calendar as an
/// expert's page, posted as a browser without script would. System architecture is offered by Talha (Europe/London)
/// and Maya (Europe/Stockholm). Clock: Monday 2 November 2026, 09:00 UTC.
/// </summary>
public sealed class ServiceBookingPageTests(FormPagesApp app) : IClassFixture<FormPagesApp>
{
    private const string BookPath = "/services/system-architecture/book";

    [Fact]
    public async Task TheServicePageLinksToItsBookingPageWhoseCalendarShowsTheUnionOfItsExpertsFreeTimes()
    {
        var client = HtmlForm.CreateBrowserClient(app);

        var service = await client.GetDocumentAsync("/services/system-architecture");
        Assert.NotNull(service.QuerySelector($"a[href='{BookPath}']"));

        var page = await client.GetDocumentAsync(BookPath + "?tz=Europe/London");
        Assert.Contains("Any available expert", page.QuerySelector(".booking-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Maya Lindqvist", page.QuerySelector(".booking-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Talha", page.QuerySelector(".booking-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("November 2026", page.QuerySelector(".month__title")!.TextContent.Trim());
        Assert.NotEmpty(BookingPageHtml.FreeDays(page));

        // The day's times are those the service's slots API gives for that day, in the page's zone.
        var day = page.QuerySelector("a[aria-current=date]")!.GetAttribute("data-day")!;
        var api = await client.GetFromJsonAsync<List<ApiSlot>>($"/api/v1/services/system-architecture/slots?from={day}&days=1");
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        Assert.Equal(
            api!.Where(slot => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(slot.Start, london)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) == day)
                .Select(slot => slot.Start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            BookingPageHtml.Times(page));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/services/no-such-service/book")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(BookPath + "?type=lunch")).StatusCode);
    }

    [Fact]
    public async Task AnIntroCallBookedThroughTheServiceGoesToAnExpertWhoOffersItAndLastsFifteenMinutes()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var (page, start) = await BookingPageHtml.DetailsAsync(client, BookPath + "?type=intro-call&tz=Europe/Stockholm", 3);
        Assert.Contains("15 minutes", page.QuerySelector(".booking-summary__facts")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#booking-chosen"));
        Assert.Equal("intro-call", HtmlForm.Value(page, "#booking-form", "type"));

        var response = await HtmlForm.SubmitAsync(client, page, "#booking-form", new()
        {
            ["name"] = "Ada Lovelace", ["email"] = "service-page@example.com", ["company"] = "", ["topic"] = "Where to start", ["notes"] = "",
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Matches("^/bookings/manage/[A-Za-z0-9_-]{43}\\?booked=1$", response.Headers.Location!.OriginalString);
        await app.WithDbAsync(async db =>
        {
            var booking = await db.Bookings.AsNoTracking().SingleAsync(b => b.Email == "service-page@example.com");
            Assert.Contains(booking.ExpertSlug, new[] { "talha", "maya-lindqvist" });
            Assert.Equal("intro-call", booking.BookingType);
            Assert.Equal(DateTime.Parse(start, null, System.Globalization.DateTimeStyles.AdjustToUniversal), booking.StartUtc);
            Assert.Equal(TimeSpan.FromMinutes(15), booking.EndUtc - booking.StartUtc);
            Assert.Equal("Europe/Stockholm", booking.ClientTimeZone);
        });
    }

    [Fact]
    public async Task WithoutAChosenTimeThePostShowsTheOtherFreeTimesInTheFormAndKeepsTheDetails()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var (page, _) = await BookingPageHtml.DetailsAsync(client, BookPath, 0);

        var response = await HtmlForm.SubmitAsync(client, page, "#booking-form", new()
        {
            ["start"] = "2026-11-03T09:31:00Z", ["name"] = "Ada Lovelace", ["email"] = "service-odd@example.com", ["topic"] = "Odd time",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var again = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("Error:", again.Title);
        Assert.NotNull(again.QuerySelector("#booking-slots-error"));
        Assert.Equal("#" + again.QuerySelector("#booking-slots input[name=start]")!.Id, again.QuerySelector("#error-summary a")!.GetAttribute("href"));
        Assert.Equal("Ada Lovelace", again.QuerySelector("#booking-name")!.GetAttribute("value"));
        await app.WithDbAsync(async db => Assert.False(await db.Bookings.AnyAsync(b => b.Email == "service-odd@example.com")));
    }

    private sealed record ApiSlot(DateTime Start, DateTime End);
}
