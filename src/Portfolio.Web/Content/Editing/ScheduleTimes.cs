using System.Globalization;

namespace Portfolio.Web.Content.Editing;

/// <summary>
/// Schedules are entered in the editor's own time zone (a <c>datetime-local</c> value plus an IANA zone) and
/// stored in UTC. The zone is the backoffice's (<see cref="BackofficeTimeZone"/>), the list the site's one (<see cref="TimeZones"/>).
/// </summary>
public static class ScheduleTimes
{
    public const string InputFormat = "yyyy-MM-dd'T'HH:mm";

    /// <summary>Reads a <c>datetime-local</c> value in <paramref name="zone"/>; empty is "no schedule". Fails with a message.</summary>
    public static bool TryToUtc(string? local, TimeZoneInfo zone, out DateTime? utc, out string? error)
    {
        utc = null;
        error = null;
        if (string.IsNullOrWhiteSpace(local))
        {
            return true;
        }

        if (!DateTime.TryParseExact(local.Trim(), [InputFormat, "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            error = "Enter a date and time, e.g. 2026-11-30 09:00.";
            return false;
        }

        time = DateTime.SpecifyKind(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(time))
        {
            error = $"{time:HH:mm} does not exist on that day in {zone.Id} (the clocks go forward). Choose another time.";
            return false;
        }

        utc = TimeZoneInfo.ConvertTimeToUtc(time, zone);
        return true;
    }

    /// <summary>A stored UTC time as the <c>datetime-local</c> value in the zone.</summary>
    public static string ToInput(DateTime? utc, TimeZoneInfo zone) =>
        utc is { } value ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(value, DateTimeKind.Utc), zone).ToString(InputFormat, CultureInfo.InvariantCulture) : "";

    /// <summary>"Mon 30 Nov 2026, 09:00 Berlin time (UTC+01:00)".</summary>
    public static string Describe(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        var when = local.ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
        return zone.Id == "UTC" ? $"{when} UTC" : $"{when} {TimeZones.City(zone.Id)} time ({TimeZones.Offset(zone, utc)})";
    }

    public static IReadOnlyList<TimeZoneGroup> Choices(DateTime nowUtc, TimeZoneInfo selected) => TimeZones.Choices(nowUtc, selected);
}
