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
    /// <summary>Every slot the expert offers whose start lies in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), honouring notice, horizon and the date overrides (days off, blocked hours, extra hours), but not bookings.</summary>
    public static List<Slot> Offered(Availability availability, DateTime fromUtc, DateTime toUtc, DateTime nowUtc)
    {
        var zone = TimeZones.Get(availability.TimeZone);
        var earliest = Max(fromUtc, nowUtc.AddHours(availability.MinimumNoticeHours));
        var latest = Min(toUtc, nowUtc.AddDays(availability.HorizonDays));
        var slots = new List<Slot>();
        if (earliest >= latest || (availability.Windows.Count == 0 && !availability.Overrides.Any(o => o.Kind == OverrideKind.Extra)))
        {
            return slots;
        }

        var slotLength = TimeSpan.FromMinutes(availability.SlotMinutes);
        var step = slotLength + TimeSpan.FromMinutes(availability.BufferMinutes);
        // Local dates that can hold a slot starting in range (a day either side covers every offset).
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(earliest, zone)).AddDays(-1);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(latest, zone)).AddDays(1);
        // Only the overrides that touch the range are looked at for each day.
        var overrides = availability.Overrides.Where(o => o.To >= firstDay && o.From <= lastDay).ToList();

        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            var today = overrides.Where(o => o.Covers(day)).ToList();
            if (today.Any(o => o.Kind == OverrideKind.Off))
            {
                continue;
            }

            var blocks = today.Where(o => o.Kind == OverrideKind.Block).Select(o => LocalRange(day, o.Start, o.End)).ToList();
            foreach (var (windowStart, windowEnd) in DayWindows(availability, day, today))
            {
                for (var localStart = windowStart; localStart + slotLength <= windowEnd; localStart += step)
                {
                    if (zone.IsInvalidTime(localStart))
                    {
                        continue;
                    }

                    // A blocked part of the day is compared in wall-clock time, as the expert wrote it; no buffer
                    // around it (it is not a meeting: the expert chose its edges).
                    var localEnd = localStart + slotLength;
                    if (blocks.Any(block => block.Start < localEnd && block.End > localStart))
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
                    if (TimeZoneInfo.ConvertTimeFromUtc(endUtc, zone) != localEnd)
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

    /// <summary>
    /// The offered slots that stay free: no overlap with a booking or with a busy time of the expert's own calendar
    /// (<paramref name="calendarBusy"/>; buffer included for both, as both are meetings), and the day's limit not
    /// reached. Only bookings count towards the limit: the expert's other appointments are theirs to plan.
    /// </summary>
    public static List<Slot> Free(Availability availability, IReadOnlyList<Slot> offered, IReadOnlyList<BusyRange> busy,
        IReadOnlyList<BusyRange>? calendarBusy = null)
    {
        var zone = TimeZones.Get(availability.TimeZone);
        var buffer = TimeSpan.FromMinutes(availability.BufferMinutes);
        var perDay = busy
            .GroupBy(range => LocalDate(range.StartUtc, zone))
            .ToDictionary(group => group.Key, group => group.Count());
        calendarBusy ??= [];

        return offered
            .Where(slot => perDay.GetValueOrDefault(LocalDate(slot.StartUtc, zone)) < availability.MaxPerDay)
            .Where(slot => !busy.Any(range => Overlaps(slot, range, buffer)))
            .Where(slot => !calendarBusy.Any(range => Overlaps(slot, range, buffer)))
            .ToList();
    }

    /// <summary>
    /// The local windows of a day: its weekly windows and the extra hours of its overrides, overlapping ones joined, so
    /// that extra hours overlapping a weekly window do not offer two overlapping slots.
    /// </summary>
    private static List<(DateTime Start, DateTime End)> DayWindows(Availability availability, DateOnly day, List<AvailabilityOverride> today)
    {
        var ranges = availability.Windows.Where(w => w.Day == day.DayOfWeek).Select(w => LocalRange(day, w.Start, w.End))
            .Concat(today.Where(o => o.Kind == OverrideKind.Extra).Select(o => LocalRange(day, o.Start, o.End)))
            .OrderBy(range => range.Start)
            .ToList();
        var joined = new List<(DateTime Start, DateTime End)>();
        foreach (var range in ranges)
        {
            if (joined.Count > 0 && range.Start < joined[^1].End)
            {
                joined[^1] = (joined[^1].Start, range.End > joined[^1].End ? range.End : joined[^1].End);
            }
            else
            {
                joined.Add(range);
            }
        }

        return joined;
    }

    private static (DateTime Start, DateTime End) LocalRange(DateOnly day, string start, string end) =>
        (day.ToDateTime(ParseTime(start)), end == "24:00" ? day.AddDays(1).ToDateTime(TimeOnly.MinValue) : day.ToDateTime(ParseTime(end)));

    /// <summary>True when the slot and the busy range are closer than the buffer.</summary>
    public static bool Overlaps(Slot slot, BusyRange range, TimeSpan buffer) =>
        range.StartUtc < slot.EndUtc + buffer && range.EndUtc + buffer > slot.StartUtc;

    public static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    private static TimeOnly ParseTime(string value) => TimeOnly.ParseExact(value, "HH:mm", CultureInfo.InvariantCulture);

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
