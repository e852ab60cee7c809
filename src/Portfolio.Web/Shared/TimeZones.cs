using System.Globalization;

namespace Portfolio.Web.Shared;

/// <summary>An option of the time zone list.</summary>
public sealed record TimeZoneChoice(string Id, string Label);

/// <summary>A region of the time zone list (<c>&lt;optgroup&gt;</c>).</summary>
public sealed record TimeZoneGroup(string Label, IReadOnlyList<TimeZoneChoice> Zones);

/// <summary>
/// The one way the site turns a time zone id into a zone: the public booking pages, the API, the expert availability
/// and the backoffice all go through <see cref="Find"/>, so they accept the same ids.
/// <para>
/// Only IANA ids are accepted: <c>UTC</c> and the <c>Area/Location</c> names of the IANA database (what browsers
/// report through <c>Intl</c>), renamed ones included (<c>Europe/Kiev</c>, <c>Asia/Calcutta</c>). On Linux .NET also
/// finds Windows ids (<c>W. Europe Standard Time</c>, converted through ICU, <see cref="TimeZoneInfo.HasIanaId"/>
/// false) and any file under <c>/usr/share/zoneinfo</c>: <c>localtime</c> (the server's own zone),
/// <c>posixrules</c>, <c>Factory</c>, <c>right/…</c> (clocks with leap seconds, off by ~27 s) and the legacy aliases
/// outside the areas (<c>US/Eastern</c>, <c>GMT</c>, <c>EST5EDT</c>). None of those is what a person means by their
/// time zone or what another system should store, so they are refused; the message names the canonical form.
/// Lookups ignore case (as .NET does) and return the zone under its canonical spelling.
/// </para>
/// </summary>
public static class TimeZones
{
    public const int MaxIdLength = 64;

    /// <summary>The field error for an id <see cref="Find"/> refuses.</summary>
    public const string Hint = "Use an IANA time zone such as Europe/Berlin.";

    /// <summary>The areas of the IANA database's canonical names (<c>Area/Location</c>); <c>Etc</c> holds <c>Etc/UTC</c> and the fixed offsets.</summary>
    private static readonly HashSet<string> Areas = new(
        ["Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific", "Etc"],
        StringComparer.Ordinal);

    private static readonly string[] Common =
    [
        "UTC",
        "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
        "America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago", "America/Denver",
        "America/Halifax", "America/Los_Angeles", "America/Mexico_City", "America/New_York", "America/Phoenix",
        "America/Santiago", "America/Sao_Paulo", "America/Toronto", "America/Vancouver",
        "Asia/Bangkok", "Asia/Dhaka", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta", "Asia/Jerusalem", "Asia/Karachi",
        "Asia/Kolkata", "Asia/Manila", "Asia/Riyadh", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo",
        "Atlantic/Reykjavik",
        "Australia/Adelaide", "Australia/Brisbane", "Australia/Perth", "Australia/Sydney",
        "Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Brussels", "Europe/Copenhagen", "Europe/Dublin",
        "Europe/Helsinki", "Europe/Istanbul", "Europe/Kyiv", "Europe/Lisbon", "Europe/London", "Europe/Madrid",
        "Europe/Moscow", "Europe/Oslo", "Europe/Paris", "Europe/Prague", "Europe/Rome", "Europe/Stockholm",
        "Europe/Vienna", "Europe/Warsaw", "Europe/Zurich",
        "Pacific/Auckland", "Pacific/Honolulu",
    ];

    /// <summary>The zone for an IANA id, or null for anything else (see the class: Windows ids, aliases, unknown ids, overlong input).</summary>
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength)
        {
            return null;
        }

        // On Linux .NET matches another spelling ("europe/berlin") only if the zone happens to be in its cache already,
        // and otherwise opens the file by that name, which fails: then the system's own list gives the spelling, so the
        // answer does not depend on what was loaded before. Only a miss pays for that list (it reads every zone file once).
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            && !(SystemSpellings.Value.TryGetValue(id, out var canonical) && TimeZoneInfo.TryFindSystemTimeZoneById(canonical, out zone)))
        {
            return null;
        }

        if (!zone.HasIanaId)
        {
            return null;
        }

        return IsCanonicalForm(zone.Id) ? zone : null;
    }

    /// <summary>The system's zone ids by any spelling (IANA ids differ in more than case).</summary>
    private static readonly Lazy<Dictionary<string, string>> SystemSpellings = new(() =>
    {
        var spellings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones())
        {
            spellings.TryAdd(zone.Id, zone.Id);
        }

        spellings.TryAdd("UTC", "UTC");
        return spellings;
    });

    /// <summary>Whether <paramref name="id"/> names an IANA zone <see cref="Find"/> accepts.</summary>
    public static bool IsIana(string? id) => Find(id) is not null;

    /// <summary>
    /// The zone for showing a stored id (a booking's client zone, an expert's): as <see cref="Get"/>, an id from before
    /// the IANA rule that the system still resolves keeps its zone; only what nothing resolves is shown in UTC.
    /// </summary>
    public static TimeZoneInfo FindOrUtc(string? id) =>
        Find(id) ?? (id is { Length: > 0 and <= MaxIdLength } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var stored) ? stored : TimeZoneInfo.Utc);

    /// <summary>
    /// The zone of a stored id (an expert's availability). Validated when stored, but the rule is newer than some data:
    /// availability saved before it may hold a Windows id or a legacy alias that the system still resolves, and a
    /// visitor's booking page must not fail for it. Only an id the system cannot resolve at all is a bug.
    /// </summary>
    public static TimeZoneInfo Get(string id) =>
        Find(id)
        ?? (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var stored) ? stored : null)
        ?? throw new TimeZoneNotFoundException($"'{id}' is not an IANA time zone. {Hint}");

    private static bool IsCanonicalForm(string id)
    {
        if (id == "UTC")
        {
            return true;
        }

        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < id.Length - 1 && Areas.Contains(id[..slash]);
    }

    /// <summary>The list, grouped by region, with each zone's offset at <paramref name="atUtc"/>; <paramref name="extra"/> zones are added when missing.</summary>
    public static IReadOnlyList<TimeZoneGroup> Choices(DateTime atUtc, params TimeZoneInfo[] extra)
    {
        var zones = Common.Select(Find).OfType<TimeZoneInfo>()
            .Concat(extra)
            .DistinctBy(zone => zone.Id, StringComparer.Ordinal)
            .Select(zone => (Region: Region(zone.Id), Choice: new TimeZoneChoice(zone.Id, Label(zone, atUtc)), City: City(zone.Id)));

        return zones
            .GroupBy(zone => zone.Region)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new TimeZoneGroup(group.Key, group.OrderBy(zone => zone.City, StringComparer.Ordinal).Select(zone => zone.Choice).ToList()))
            .ToList();
    }

    /// <summary>Every IANA zone the server knows (plus <paramref name="current"/> when it is one), grouped by region, labelled by id: an expert may live anywhere.</summary>
    public static IReadOnlyList<TimeZoneGroup> All(DateTime atUtc, string? current) =>
        TimeZoneInfo.GetSystemTimeZones()
            .Select(zone => zone.Id)
            .Append("UTC")
            .Append(current)
            .Select(Find).OfType<TimeZoneInfo>()
            .DistinctBy(zone => zone.Id, StringComparer.Ordinal)
            .GroupBy(zone => Region(zone.Id))
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new TimeZoneGroup(group.Key, group
                .OrderBy(zone => zone.Id, StringComparer.Ordinal)
                .Select(zone => new TimeZoneChoice(zone.Id, $"{zone.Id} ({Offset(zone, atUtc)})"))
                .ToList()))
            .ToList();

    /// <summary>"London (UTC+00:00)": the city first, so typing a letter in the select finds it.</summary>
    public static string Label(TimeZoneInfo zone, DateTime atUtc) => $"{City(zone.Id)} ({Offset(zone, atUtc)})";

    /// <summary>"London time, Europe/London (UTC+00:00)", for the sentence under the list.</summary>
    public static string Describe(TimeZoneInfo zone, DateTime atUtc) =>
        zone.Id == "UTC" ? "UTC" : $"{City(zone.Id)} time, {zone.Id} ({Offset(zone, atUtc)})";

    public static string Offset(TimeZoneInfo zone, DateTime atUtc)
    {
        var offset = zone.GetUtcOffset(atUtc);
        return string.Create(CultureInfo.InvariantCulture, $"UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset.Duration():hh\\:mm}");
    }

    /// <summary>"America/Argentina/Buenos_Aires" → "Buenos Aires".</summary>
    public static string City(string id) => id == "UTC" ? "UTC" : id[(id.LastIndexOf('/') + 1)..].Replace('_', ' ');

    /// <summary>A stored UTC time in <paramref name="zone"/>.</summary>
    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    /// <summary>E.g. <c>Sun 22 Nov 2026, 10:15</c>, in the zone (which the page names once).</summary>
    public static string Format(DateTime utc, TimeZoneInfo zone) =>
        ToLocal(utc, zone).ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The machine-readable UTC value for a <c>&lt;time datetime&gt;</c> attribute.</summary>
    public static string MachineReadable(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>The part before the first slash; UTC and the like stand alone.</summary>
    private static string Region(string id) => id.Contains('/', StringComparison.Ordinal) ? id[..id.IndexOf('/', StringComparison.Ordinal)] : "";
}
