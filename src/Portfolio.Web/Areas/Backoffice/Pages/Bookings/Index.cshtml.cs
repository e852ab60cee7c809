using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

using Portfolio.Web.Booking;
namespace Portfolio.Web.Areas.Backoffice.Pages.Bookings;

/// <summary>Bookings at <c>/umbraco/bookings</c>: upcoming (soonest first) or past (latest first), in the owner's time zone.</summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class IndexModel(OwnerBookings bookings, TimeProvider clock) : BackofficePageModel
{
    [BindProperty(SupportsGet = true, Name = "show")]
    public string? Show { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public bool Past => string.Equals(Show, "past", StringComparison.OrdinalIgnoreCase);

    public BackofficeTimeZone Zone { get; private set; } = BackofficeTimeZone.Utc;

    public DateTime Now { get; private set; }

    public PagedList<BookingLine> Bookings { get; private set; } = new([], 1, OwnerBookings.PageSize, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SetTitle(Past ? "Past bookings" : "Upcoming bookings");
        Now = clock.GetUtcNow().UtcDateTime;
        Zone = BackofficeTimeZone.Of(HttpContext);
        Bookings = await bookings.ListAsync(!Past, Paging.Clamp(PageNumber), cancellationToken);
    }

    public TimeZoneForm ZoneForm => new(Zone, Past ? [("show", "past")] : []);

    public OwnerPager Pager => new("Booking pages", Url.Page("/Bookings/Index")!, Bookings.PageNumber, Bookings.PageCount,
        new Dictionary<string, string?> { ["show"] = Past ? "past" : "upcoming" });
}
