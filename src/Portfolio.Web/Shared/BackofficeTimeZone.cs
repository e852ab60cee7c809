using System.Globalization;

namespace Portfolio.Web.Shared;

/// <summary>
/// The time zone every backoffice page shows times in, resolved one way for all of them: a <c>tz</c> value the user
/// chose (the <c>_TimeZoneChoice</c> form, or the content editor's schedule form) is remembered in the
/// <see cref="CookieName"/> cookie; otherwise the cookie, which <c>wwwroot/js/backoffice-time.js</c> fills with the
/// browser's zone the first time; otherwise UTC, labelled as such, until the user chooses (without JavaScript) or the
/// browser has said. Only IANA ids count (<see cref="TimeZones.Find"/>). Times are stored in UTC; this only changes
/// how they are shown and how typed times are read.
/// </summary>
public sealed class BackofficeTimeZone
{
    public const string CookieName = "portfolio-tz";

    /// <summary>The query (or form) field a choice arrives in.</summary>
    public const string QueryName = "tz";

    private BackofficeTimeZone(TimeZoneInfo zone, bool isKnown)
    {
        Zone = zone;
        IsKnown = isKnown;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Whether the zone is the user's own (false: UTC because nobody has said).</summary>
    public bool IsKnown { get; }

    /// <summary>The IANA name, e.g. <c>Europe/Berlin</c>, or <c>UTC</c>.</summary>
    public string Name => Zone.Id;

    public static BackofficeTimeZone Utc { get; } = new(TimeZoneInfo.Utc, isKnown: false);

    /// <summary>
    /// The zone of the request's user: <paramref name="requested"/> (else the <c>tz</c> query) when it is an IANA id,
    /// which is then remembered; else the cookie; else UTC. An unknown or malformed value counts as none.
    /// </summary>
    public static BackofficeTimeZone Of(HttpContext context, string? requested = null)
    {
        requested ??= context.Request.Query[QueryName].FirstOrDefault();
        if (TimeZones.Find(requested) is { } chosen)
        {
            if (context.Request.Cookies[CookieName] != chosen.Id)
            {
                // Not HttpOnly: the script reads it to know the zone is settled and must not be replaced by the browser's.
                context.Response.Cookies.Append(CookieName, chosen.Id, new CookieOptions
                {
                    Path = "/umbraco",
                    Secure = context.Request.IsHttps,
                    SameSite = SameSiteMode.Strict,
                    MaxAge = TimeSpan.FromDays(365),
                    IsEssential = true,
                });
            }

            return new BackofficeTimeZone(chosen, isKnown: true);
        }

        return TimeZones.Find(context.Request.Cookies[CookieName]) is { } remembered
            ? new BackofficeTimeZone(remembered, isKnown: true)
            : Utc;
    }

    public DateTime ToLocal(DateTime utc) => TimeZones.ToLocal(utc, Zone);

    /// <summary>E.g. <c>Sun 22 Nov 2026, 10:15</c>, in this zone.</summary>
    public string Format(DateTime utc) => TimeZones.Format(utc, Zone);

    /// <summary>E.g. <c>Sun 22 Nov 2026, 10:15 (Europe/Berlin)</c>: for a time shown on its own.</summary>
    public string FormatWithZone(DateTime utc) => $"{Format(utc)} ({Name})";

    /// <summary>"Tue 3 Nov 2026, 10:00–10:45" in this zone (the page names the zone once).</summary>
    public string Range(DateTime startUtc, DateTime endUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"{Format(startUtc)}–{ToLocal(endUtc):HH:mm}");

    /// <summary>What the page says about its times: the zone, or that they are in UTC because none is chosen yet.</summary>
    public string Describe(DateTime atUtc) =>
        IsKnown ? TimeZones.Describe(Zone, atUtc) : "UTC (choose your time zone to see them in it)";

    /// <summary>The list for the choice form, with this zone in it.</summary>
    public IReadOnlyList<TimeZoneGroup> Choices(DateTime atUtc) => TimeZones.Choices(atUtc, Zone);

    /// <summary>The machine-readable UTC value for a <c>&lt;time datetime&gt;</c> attribute.</summary>
    public static string MachineReadable(DateTime utc) => TimeZones.MachineReadable(utc);
}

/// <summary>
/// The model of the backoffice's <c>_TimeZoneChoice</c> form: the zone and the query values the GET form must keep
/// (the week shown, the version compared).
/// </summary>
public sealed record TimeZoneForm(BackofficeTimeZone Zone, IReadOnlyList<(string Name, string Value)> Keep)
{
    public TimeZoneForm(BackofficeTimeZone zone)
        : this(zone, [])
    {
    }
}
