using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Tests.Site;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Booking;

/// <summary>
/// Daylight-saving changes end to end, on SQLite or PostgreSQL (whichever the run asks for), with the app's clock set
/// to the week before each change: a weekly window keeps its wall-clock time on both sides of the spring and the autumn
/// change (offered, booked, stored and counted on the expert's local day), and a date override on the day of a change
/// is read on that day's wall clock. Europe/Berlin: summer time begins Sunday 28 March 2027 (02:00 → 03:00) and ends
/// Sunday 31 October 2027 (03:00 → 02:00). Each test publishes its own expert, so they never compete for a slot.
/// </summary>
public sealed class DaylightSavingBookingTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    // Mondays 09:00-11:00 Berlin, hourly: 08:00 UTC on winter time, 07:00 UTC on summer time.
    [InlineData("spring", "2027-03-17", "2027-03-22", "2027-03-22T08:00", "2027-03-29", "2027-03-29T07:00")]
    [InlineData("autumn", "2027-10-20", "2027-10-25", "2027-10-25T07:00", "2027-11-01", "2027-11-01T08:00")]
    public async Task AWeeklyWindowIsOfferedBookedAndStoredAtItsWallClockTimeOnBothSidesOfAChange(
        string name, string today, string before, string beforeUtc, string after, string afterUtc)
    {
        var (expert, _) = await ExpertAsync("dst-window-" + name, new Availability
        {
            TimeZone = "Europe/Berlin", SlotMinutes = 60, BufferMinutes = 0, MinimumNoticeHours = 0, HorizonDays = 60, MaxPerDay = 1,
            Windows = [new WeeklyWindow { Day = DayOfWeek.Monday, Start = "09:00", End = "11:00" }],
        });

        await app.AtAsync(Utc(today + "T12:00"), async () =>
        {
            var slots = await FreeAsync(expert, Utc(before + "T00:00"), 14);
            Assert.Equal([Utc(beforeUtc), Utc(beforeUtc).AddHours(1), Utc(afterUtc), Utc(afterUtc).AddHours(1)], slots.Select(slot => slot.StartUtc));
            Assert.Equal(["09:00", "10:00", "09:00", "10:00"],
                slots.Select(slot => TimeZoneInfo.ConvertTimeFromUtc(slot.StartUtc, Berlin).ToString("HH:mm", CultureInfo.InvariantCulture)));

            // The booking page's calendar in Berlin time shows the two Mondays with the same times.
            var client = HtmlForm.CreateBrowserClient(app);
            foreach (var monday in new[] { before, after })
            {
                var page = await client.GetDocumentAsync($"/team/{expert}/book?tz=Europe/Berlin&day={monday}");
                Assert.Equal(monday, page.QuerySelector("a[aria-current=date]")!.GetAttribute("data-day"));
                Assert.Equal(["09:00–10:00", "10:00–11:00"], page.QuerySelectorAll("#booking-times a.time-link").Select(link => link.TextContent.Trim()));
            }

            // Booked on each side; stored at the same UTC instants, counted on the Mondays in Berlin (one a day allowed).
            foreach (var start in new[] { Utc(beforeUtc), Utc(afterUtc) })
            {
                Assert.IsType<BookingResult.Created>(await BookAsync(expert, start, $"{name}-{start:yyyyMMddHH}@example.com"));
            }

            Assert.IsType<BookingResult.Taken>(await BookAsync(expert, Utc(afterUtc).AddHours(1), $"{name}-second@example.com"));
            await app.WithDbAsync(async db =>
            {
                var stored = await db.Bookings.AsNoTracking().Where(booking => booking.ExpertSlug == expert).OrderBy(booking => booking.StartUtc).ToListAsync();
                Assert.Equal([Utc(beforeUtc), Utc(afterUtc)], stored.Select(booking => booking.StartUtc));
                Assert.Equal([DateOnly.Parse(before, CultureInfo.InvariantCulture), DateOnly.Parse(after, CultureInfo.InvariantCulture)],
                    stored.Select(booking => booking.ExpertDay!.Value));
                Assert.All(stored, booking => Assert.Equal(TimeSpan.FromHours(1), booking.EndUtc - booking.StartUtc));
            });
        });
    }

    [Fact]
    public async Task ExtraHoursOnTheNightOfTheSpringChangeSkipTheMissingHourAndABookingThereIsStoredInRealTime()
    {
        // Sunday 28 March 2027: extra hours 01:00-05:00 Berlin. 02:00-03:00 does not exist: 01:00 (00:00 UTC) would end at
        // 03:00 on the wall clock, so the hourly slots are 03:00 and 04:00 (01:00 and 02:00 UTC).
        var (expert, _) = await ExpertAsync("dst-spring-extra", new Availability
        {
            TimeZone = "Europe/Berlin", SlotMinutes = 60, BufferMinutes = 0, MinimumNoticeHours = 0, HorizonDays = 60, MaxPerDay = 4,
            Windows = [new WeeklyWindow { Day = DayOfWeek.Monday, Start = "09:00", End = "10:00" }],
            Overrides = [new AvailabilityOverride { Kind = OverrideKind.Extra, From = new(2027, 3, 28), To = new(2027, 3, 28), Start = "01:00", End = "05:00" }],
        });

        await app.AtAsync(Utc("2027-03-20T12:00"), async () =>
        {
            var sunday = await FreeAsync(expert, Utc("2027-03-27T00:00"), 2);
            Assert.Equal([Utc("2027-03-28T01:00"), Utc("2027-03-28T02:00")], sunday.Select(slot => slot.StartUtc));

            var client = HtmlForm.CreateBrowserClient(app);
            var page = await client.GetDocumentAsync($"/team/{expert}/book?tz=Europe/Berlin&month=2027-03&day=2027-03-28");
            Assert.NotNull(page.QuerySelector("a[data-day='2027-03-28'][aria-current=date]"));
            Assert.Equal(["03:00–04:00", "04:00–05:00"], page.QuerySelectorAll("#booking-times a.time-link").Select(link => link.TextContent.Trim()));

            Assert.IsType<BookingResult.Created>(await BookAsync(expert, Utc("2027-03-28T01:00"), "spring-extra@example.com"));
            await app.WithDbAsync(async db =>
            {
                var stored = await db.Bookings.AsNoTracking().SingleAsync(booking => booking.ExpertSlug == expert);
                Assert.Equal((Utc("2027-03-28T01:00"), Utc("2027-03-28T02:00")), (stored.StartUtc, stored.EndUtc));
                Assert.Equal(new DateOnly(2027, 3, 28), stored.ExpertDay);
            });
        });
    }

    [Fact]
    public async Task ABlockOnTheDayOfTheAutumnChangeCoversItsWallClockHoursAndAHolidayThereRemovesTheWholeLongDay()
    {
        // Sunday 31 October 2027 lasts 25 hours in Berlin. Extra hours 00:00-06:00 with a block 02:00-03:00: the repeated
        // hour is blocked both times it happens on the wall clock. Then a holiday that day removes all of it.
        var availability = new Availability
        {
            TimeZone = "Europe/Berlin", SlotMinutes = 60, BufferMinutes = 0, MinimumNoticeHours = 0, HorizonDays = 60, MaxPerDay = 8,
            Windows = [new WeeklyWindow { Day = DayOfWeek.Monday, Start = "09:00", End = "10:00" }],
            Overrides =
            [
                new AvailabilityOverride { Kind = OverrideKind.Extra, From = new(2027, 10, 31), To = new(2027, 10, 31), Start = "00:00", End = "06:00" },
                new AvailabilityOverride { Kind = OverrideKind.Block, From = new(2027, 10, 31), To = new(2027, 10, 31), Start = "02:00", End = "03:00", Note = "Night shift" },
            ],
        };
        var (expert, key) = await ExpertAsync("dst-autumn-block", availability);

        await app.AtAsync(Utc("2027-10-25T12:00"), async () =>
        {
            var sunday = await FreeAsync(expert, Utc("2027-10-30T00:00"), 2);
            // 00:00 and 01:00 CEST (22:00, 23:00 UTC on the 30th), then 03:00, 04:00, 05:00 CET (02:00-04:00 UTC).
            Assert.Equal(["2027-10-30T22:00", "2027-10-30T23:00", "2027-10-31T02:00", "2027-10-31T03:00", "2027-10-31T04:00"],
                sunday.Select(slot => slot.StartUtc.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)));
            Assert.All(sunday, slot => Assert.Equal(new DateOnly(2027, 10, 31), SlotCalculator.LocalDate(slot.StartUtc, Berlin)));
            Assert.IsType<BookingResult.Created>(await BookAsync(expert, Utc("2027-10-31T02:00"), "autumn-block@example.com"));
            Assert.IsType<BookingResult.Invalid>(await BookAsync(expert, Utc("2027-10-31T01:00"), "autumn-blocked@example.com"));

            await app.WithContentAsync(async content =>
            {
                var holiday = availability with { Overrides = [.. availability.Overrides, new AvailabilityOverride { Kind = OverrideKind.Off, From = new(2027, 10, 31), To = new(2027, 10, 31), Note = "Holiday" }] };
                await content.SaveDraftAsync(key, new ExpertProfile { Name = expert, Role = "Engineer", Summary = "Engineer.", Availability = holiday }, expert, "test");
                return await content.PublishAsync(key, "test");
            });
            Assert.Empty(await FreeAsync(expert, Utc("2027-10-30T00:00"), 2));
            var page = await HtmlForm.CreateBrowserClient(app).GetDocumentAsync($"/team/{expert}/book?tz=Europe/Berlin&month=2027-10");
            Assert.Null(page.QuerySelector("a[data-day='2027-10-31']"));
        });
    }

    /// <summary>Publishes an expert with this availability: its slug and content key.</summary>
    private Task<(string Slug, Guid Key)> ExpertAsync(string slug, Availability availability) =>
        app.WithContentAsync(async content =>
        {
            var expert = await content.CreateAsync(new ExpertProfile { Name = slug, Role = "Engineer", Summary = "Engineer.", Availability = availability }, slug, "test");
            await content.PublishAsync(expert.Key, "test");
            return (slug, expert.Key);
        });

    private Task<List<Slot>> FreeAsync(string expert, DateTime fromUtc, int days) =>
        app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            return await bookings.FreeSlotsAsync((await bookings.FindExpertAsync(expert, default))!, fromUtc, days, default);
        });

    private Task<BookingResult> BookAsync(string expert, DateTime start, string email) =>
        app.WithScopeAsync(services => services.GetRequiredService<BookingService>().BookAsync(
            new BookingRequest(expert, start, "Grace Hopper", email, null, "Daylight saving", null, "Europe/Berlin"), "https://localhost", null, default));

    private static DateTime Utc(string value) =>
        DateTime.SpecifyKind(DateTime.ParseExact(value, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Utc);
}
