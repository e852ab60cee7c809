using System.Globalization;

namespace Portfolio.Web.Shared;

/// <summary>
/// The time zone backoffice pages show times in: the browser's own, which <c>wwwroot/js/backoffice-time.js</c> puts
/// in the <see cref="CookieName"/> cookie, or UTC (labelled as such) until the browser has said or without JavaScript.
/// Times are stored in UTC; this only changes how they are shown.
/// </summary>
public sealed class BackofficeTimeZone
{
    public const string CookieName = "portfolio-tz";

    private BackofficeTimeZone(TimeZoneInfo zone, bool isKnown)
    {
        Zone = zone;
        IsKnown = isKnown;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Whether the zone is the user's own (false: UTC because the browser has not said).</summary>
    public bool IsKnown { get; }

    /// <summary>The IANA name, e.g. <c>Europe/Berlin</c>, or <c>UTC</c>.</summary>
    public string Name => IsKnown ? Zone.Id : "UTC";

    public static BackofficeTimeZone Utc { get; } = new(TimeZoneInfo.Utc, isKnown: false);

    /// <summary>The zone of the request's user; an unknown or malformed cookie counts as none.</summary>
    public static BackofficeTimeZone Of(HttpContext context) =>
        context.Request.Cookies.TryGetValue(CookieName, out var id) && id is { Length: > 0 and <= 64 } &&
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? new BackofficeTimeZone(zone, isKnown: true)
            : Utc;

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>E.g. <c>Sun 22 Nov 2026, 10:15</c>, in this zone.</summary>
    public string Format(DateTime utc) => ToLocal(utc).ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    /// <summary>E.g. <c>Sun 22 Nov 2026, 10:15 (Europe/Berlin)</c>: for a time shown on its own.</summary>
    public string FormatWithZone(DateTime utc) => $"{Format(utc)} ({Name})";

    /// <summary>The machine-readable UTC value for a <c>&lt;time datetime&gt;</c> attribute.</summary>
    public static string MachineReadable(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
