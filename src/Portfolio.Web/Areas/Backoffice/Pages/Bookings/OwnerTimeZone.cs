using Portfolio.Web.Site.Pages.Bookings;

using Portfolio.Web.Booking;
namespace Portfolio.Web.Areas.Backoffice.Pages.Bookings;

/// <summary>
/// The time zone the owner reads bookings in: the <c>tz</c> query when it names an IANA zone (remembered in a
/// cookie), else the remembered one, else UTC until the browser's zone is known (<c>backoffice-owner.js</c>
/// picks it and reloads once; without JavaScript the owner chooses it in the form).
/// </summary>
public sealed record OwnerTimeZone(TimeZoneInfo Zone, bool Chosen)
{
    public const string CookieName = "portfolio-owner-tz";

    public static OwnerTimeZone Resolve(HttpContext context, string? requested)
    {
        if (BookingTimeZones.FindIana(requested) is { } zone)
        {
            context.Response.Cookies.Append(CookieName, zone.Id, new CookieOptions
            {
                Path = "/umbraco",
                HttpOnly = true,
                Secure = context.Request.IsHttps,
                SameSite = SameSiteMode.Strict,
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
            return new OwnerTimeZone(zone, Chosen: true);
        }

        return BookingTimeZones.FindIana(context.Request.Cookies[CookieName]) is { } remembered
            ? new OwnerTimeZone(remembered, Chosen: true)
            : new OwnerTimeZone(TimeZoneInfo.Utc, Chosen: false);
    }

    public IReadOnlyList<TimeZoneGroup> Choices(DateTime atUtc) => BookingTimeZones.Choices(atUtc, Zone);

    public string Describe(DateTime atUtc) => BookingTimeZones.Describe(Zone, atUtc);
}
