using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

using Portfolio.Web.Booking;
namespace Portfolio.Web.Areas.Backoffice.Pages.Bookings;

/// <summary>
/// A week calendar at <c>/umbraco/bookings/week?date=YYYY-MM-DD</c>, Monday to Sunday in the owner's time zone,
/// rendered on the server: a time grid on a wide screen (hours down, days across, each booking in the row of the hour
/// it starts in), a list of days on a phone. Without a date it opens on the week of the next booking, so the owner
/// does not land on an empty current week.
/// </summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class WeekModel(OwnerBookings bookings, TimeProvider clock) : BackofficePageModel
{
    [BindProperty(SupportsGet = true, Name = "date")]
    public string? Date { get; set; }

    public BackofficeTimeZone Zone { get; private set; } = BackofficeTimeZone.Utc;

    public CalendarWeek Week { get; private set; } = new(default, TimeZoneInfo.Utc, []);

    public DateOnly Today { get; private set; }

    public DateTime Now { get; private set; }

    /// <summary>Whether the page opened (without a date) on a later week than the current one, where the next booking is.</summary>
    public bool OpenedOnNextBooking { get; private set; }

    /// <summary>The grid's hours: working hours, widened to every booking of the week.</summary>
    public IReadOnlyList<int> Hours { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        Zone = BackofficeTimeZone.Of(HttpContext);
        Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(Now, Zone.Zone));
        DateOnly day;
        if (DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed.Year is > 1 and < 9999)
        {
            day = parsed;
        }
        else
        {
            // The week of the next booking, when it is a later one; this week when nothing is ahead or it is this week.
            var next = await bookings.NextBookingDayAsync(Zone.Zone, cancellationToken);
            day = next is { } ahead && MondayOf(ahead) > MondayOf(Today) ? ahead : Today;
            OpenedOnNextBooking = day != Today;
        }

        Week = await bookings.WeekAsync(day, Zone.Zone, cancellationToken);
        Hours = GridHours(Week, Zone);
        SetTitle(string.Create(CultureInfo.InvariantCulture, $"Bookings, week of {Week.Monday:d MMMM yyyy}"));
    }

    /// <summary>The bookings of a day that start in the given hour (of the owner's zone).</summary>
    public IEnumerable<BookingLine> StartingAt(CalendarDay day, int hour) =>
        day.Bookings.Where(booking => Zone.ToLocal(booking.StartUtc).Hour == hour);

    /// <summary>08:00 to 18:00, widened to the earliest start and the latest end of the week's bookings.</summary>
    internal static IReadOnlyList<int> GridHours(CalendarWeek week, BackofficeTimeZone zone)
    {
        var first = 8;
        var last = 17;
        foreach (var booking in week.Days.SelectMany(day => day.Bookings))
        {
            var start = zone.ToLocal(booking.StartUtc);
            var end = zone.ToLocal(booking.EndUtc);
            first = Math.Min(first, start.Hour);
            // A meeting ending at 11:00 needs no 11:00 row; one ending past midnight of its day fills the day.
            last = Math.Max(last, end.Date > start.Date ? 23 : (end.Minute == 0 ? end.Hour - 1 : end.Hour));
        }

        return Enumerable.Range(first, last - first + 1).ToList();
    }

    private static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static string DateKey(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public TimeZoneForm ZoneForm => new(Zone, [("date", DateKey(Week.Monday))]);
}
