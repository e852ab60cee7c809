using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace Portfolio.Web.Booking;

/// <summary>
/// Turns an iCalendar feed into busy times in UTC over a window: recurring events expanded (Ical.Net, with their
/// exceptions and moved instances), times in their own TZID, floating times and all-day events in the expert's time
/// zone (an all-day event blocks its whole days there), cancelled and transparent ("free") events left out.
/// </summary>
public static class BusyCalendarParser
{
    /// <summary>More busy times than this in one feed's window is not a personal calendar; the rest is cut off.</summary>
    public const int MaxIntervals = 5000;

    /// <summary>The busy times overlapping [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), joined where they overlap; throws <see cref="FormatException"/> for text that is no calendar.</summary>
    public static List<BusyRange> Parse(string text, TimeZoneInfo expertZone, DateTime fromUtc, DateTime toUtc)
    {
        Calendar? calendar;
        try
        {
            calendar = Calendar.Load(text);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new FormatException("The feed is not an iCalendar file.", exception);
        }

        if (calendar is null || !text.TrimStart().StartsWith("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("The feed is not an iCalendar file.");
        }

        var ranges = new List<BusyRange>();
        // Occurrences are asked for from a day early, as one that started before the window may still run into it;
        // the options stop a rule that never matches (FREQ=YEARLY;BYMONTHDAY=31;BYMONTH=2) from searching for ever.
        var evaluation = new EvaluationOptions { MaxUnmatchedIncrementsLimit = 1000 };
        var start = new CalDateTime(fromUtc.AddDays(-1), "UTC");
        var end = new CalDateTime(toUtc, "UTC");
        IEnumerable<Occurrence> occurrences;
        try
        {
            occurrences = calendar.GetOccurrences<CalendarEvent>(start, evaluation).TakeWhileBefore(end);
            foreach (var occurrence in occurrences)
            {
                if (occurrence.Source is not CalendarEvent calendarEvent || !Blocks(calendarEvent))
                {
                    continue;
                }

                var range = ToUtc(occurrence.Period, expertZone);
                if (range is { } busy && busy.StartUtc < toUtc && busy.EndUtc > fromUtc)
                {
                    ranges.Add(busy);
                    if (ranges.Count >= MaxIntervals)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is not (FormatException or OutOfMemoryException))
        {
            // A rule Ical.Net cannot evaluate (a broken RRULE, an unknown TZID) makes the copy unusable, like garbage would.
            throw new FormatException("The calendar has an event whose times cannot be read.", exception);
        }

        return Join(ranges);
    }

    /// <summary>Cancelled events and those marked as free (TRANSP:TRANSPARENT) do not make the expert busy.</summary>
    private static bool Blocks(CalendarEvent calendarEvent) =>
        !string.Equals(calendarEvent.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(calendarEvent.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase);

    private static BusyRange? ToUtc(Period period, TimeZoneInfo expertZone)
    {
        var startTime = period.StartTime;
        var endTime = period.EffectiveEndTime ?? startTime;
        if (!startTime.HasTime)
        {
            // An all-day event: its dates in the expert's zone, midnight to midnight (DTEND is the day after the last).
            var lastDay = endTime.Date > startTime.Date ? endTime.Date : startTime.Date.AddDays(1);
            return Range(LocalToUtc(startTime.Date.ToDateTime(TimeOnly.MinValue), expertZone), LocalToUtc(lastDay.ToDateTime(TimeOnly.MinValue), expertZone));
        }

        return Range(InstantUtc(startTime, expertZone), InstantUtc(endTime, expertZone));
    }

    /// <summary>A floating time (no TZID, no Z) is the expert's wall-clock time; anything else Ical.Net converts.</summary>
    private static DateTime InstantUtc(CalDateTime value, TimeZoneInfo expertZone) =>
        value.IsFloating ? LocalToUtc(value.Value, expertZone) : DateTime.SpecifyKind(value.AsUtc, DateTimeKind.Utc);

    private static DateTime LocalToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A local time in the spring-forward gap does not exist: the hour after it is meant.
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }

    private static BusyRange? Range(DateTime startUtc, DateTime endUtc) => endUtc > startUtc ? new BusyRange(startUtc, endUtc) : null;

    /// <summary>Overlapping busy times joined, so that the stored copy stays small.</summary>
    private static List<BusyRange> Join(List<BusyRange> ranges)
    {
        var joined = new List<BusyRange>();
        foreach (var range in ranges.OrderBy(range => range.StartUtc))
        {
            if (joined.Count > 0 && range.StartUtc <= joined[^1].EndUtc)
            {
                joined[^1] = joined[^1] with { EndUtc = range.EndUtc > joined[^1].EndUtc ? range.EndUtc : joined[^1].EndUtc };
            }
            else
            {
                joined.Add(range);
            }
        }

        return joined;
    }
}
