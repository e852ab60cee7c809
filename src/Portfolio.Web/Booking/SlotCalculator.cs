using System.Globalization;
using Portfolio.Web.Content;

namespace Portfolio.Web.Booking;

/// <summary>A bookable time, in UTC.</summary>
public readonly record struct Slot(DateTime StartUtc, DateTime EndUtc);

/// <summary>A time already taken, in UTC.</summary>
public readonly record struct BusyRange(DateTime StartUtc, DateTime EndUtc);

/// <summary>
/// Turns an expert's weekly availability (in the expert's IANA time zone) into concrete slots. Local
/// times are converted with the zone's rules for that date, so slots follow daylight-saving changes;
/// a slot whose local start does not exist (the spring-forward gap) is skipped, and every slot lasts
/// exactly the slot length in real time, also when it runs across a change.
/// </summary>
public static class SlotCalculator
{
    /// <summary>Every slot the expert offers whose start lies in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), honouring notice, horizon and days off, but not bookings.</summary>
    public static List<Slot> Offered(Availability availability, DateTime fromUtc, DateTime toUtc, DateTime nowUtc)
    {
        var zone = TimeZones.Get(availability.TimeZone);
        var earliest = Max(fromUtc, nowUtc.AddHours(availability.MinimumNoticeHours));
        var latest = Min(toUtc, nowUtc.AddDays(availability.HorizonDays));
        var slots = new List<Slot>();
        if (earliest >= latest || availability.Windows.Count == 0)
        {
            return slots;
        }

        var daysOff = availability.DaysOff.ToHashSet();
        var slotLength = TimeSpan.FromMinutes(availability.SlotMinutes);
        var step = slotLength + TimeSpan.FromMinutes(availability.BufferMinutes);
        // Local dates that can hold a slot starting in range (a day either side covers every offset).
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(earliest, zone)).AddDays(-1);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(latest, zone)).AddDays(1);

        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            if (daysOff.Contains(day))
            {
                continue;
            }

            foreach (var window in availability.Windows.Where(w => w.Day == day.DayOfWeek).OrderBy(w => w.Start, StringComparer.Ordinal))
            {
                var windowStart = day.ToDateTime(ParseTime(window.Start));
                var windowEnd = window.End == "24:00" ? day.AddDays(1).ToDateTime(TimeOnly.MinValue) : day.ToDateTime(ParseTime(window.End));
                for (var localStart = windowStart; localStart + slotLength <= windowEnd; localStart += step)
                {
                    if (zone.IsInvalidTime(localStart))
                    {
                        continue;
                    }

                    // An ambiguous local start (the repeated autumn hour) is read as standard time, the later instant.
                    var startUtc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localStart, DateTimeKind.Unspecified), zone);
                    // A slot lasts its length in real time. Converting the local end on its own would stretch or
                    // shrink a slot that runs into a change (00:30-01:30 BST on the autumn night became two hours);
                    // one whose end would show another wall-clock time (it spans the spring-forward jump) is skipped,
                    // as it could overlap the next slot.
                    var endUtc = startUtc + slotLength;
                    if (TimeZoneInfo.ConvertTimeFromUtc(endUtc, zone) != localStart + slotLength)
                    {
                        continue;
                    }

                    if (startUtc >= earliest && startUtc < latest)
                    {
                        slots.Add(new Slot(startUtc, endUtc));
                    }
                }
            }
        }

        slots.Sort((a, b) => a.StartUtc.CompareTo(b.StartUtc));
        return slots;
    }

    /// <summary>The offered slots that stay free: no overlap with a booking (buffer included) and the day's limit not reached.</summary>
    public static List<Slot> Free(Availability availability, IReadOnlyList<Slot> offered, IReadOnlyList<BusyRange> busy)
    {
        var zone = TimeZones.Get(availability.TimeZone);
        var buffer = TimeSpan.FromMinutes(availability.BufferMinutes);
        var perDay = busy
            .GroupBy(range => LocalDate(range.StartUtc, zone))
            .ToDictionary(group => group.Key, group => group.Count());

        return offered
            .Where(slot => perDay.GetValueOrDefault(LocalDate(slot.StartUtc, zone)) < availability.MaxPerDay)
            .Where(slot => !busy.Any(range => Overlaps(slot, range, buffer)))
            .ToList();
    }

    /// <summary>True when the slot and the busy range are closer than the buffer.</summary>
    public static bool Overlaps(Slot slot, BusyRange range, TimeSpan buffer) =>
        range.StartUtc < slot.EndUtc + buffer && range.EndUtc + buffer > slot.StartUtc;

    public static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    private static TimeOnly ParseTime(string value) => TimeOnly.ParseExact(value, "HH:mm", CultureInfo.InvariantCulture);

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
