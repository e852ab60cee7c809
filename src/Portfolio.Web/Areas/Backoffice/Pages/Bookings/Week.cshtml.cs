using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

using Portfolio.Web.Booking;
namespace Portfolio.Web.Areas.Backoffice.Pages.Bookings;

/// <summary>
/// A week calendar at <c>/umbraco/bookings/week?date=YYYY-MM-DD</c>, Monday to Sunday in the owner's time zone,
/// rendered on the server: seven columns on a wide screen, a list of days on a phone.
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

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        Zone = BackofficeTimeZone.Of(HttpContext);
        Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(Now, Zone.Zone));
        var day = DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) &&
                  parsed.Year is > 1 and < 9999
            ? parsed
            : Today;
        Week = await bookings.WeekAsync(day, Zone.Zone, cancellationToken);
        SetTitle(string.Create(CultureInfo.InvariantCulture, $"Bookings, week of {Week.Monday:d MMMM yyyy}"));
    }

    public static string DateKey(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public TimeZoneForm ZoneForm => new(Zone, [("date", DateKey(Week.Monday))]);
}
