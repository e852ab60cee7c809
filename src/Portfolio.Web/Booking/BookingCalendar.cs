using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Portfolio.Web.Shared;

namespace Portfolio.Web.Booking;

/// <summary>One day cell of the month grid: a link when the day has free times, plain text when it has none.</summary>
/// <param name="Date">The local date in the visitor's zone.</param>
/// <param name="InMonth">False for the leading and trailing days of the neighbouring months (shown empty).</param>
/// <param name="Free">How many free times the day has.</param>
/// <param name="Url">The day's link; null when it has no free time.</param>
/// <param name="Chosen">The day whose times are shown (marked <c>aria-current</c>).</param>
/// <param name="Today">The visitor's today.</param>
public sealed record MonthDay(DateOnly Date, bool InMonth, int Free, string? Url, bool Chosen, bool Today)
{
    /// <summary>What a screen reader hears after the day's number: "Wednesday 9 December, 5 free times".</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"{Date:dddd d MMMM}, {(Free == 0 ? "no free times" : Free == 1 ? "1 free time" : $"{Free} free times")}{(Today ? ", today" : "")}");
}

/// <summary>A free time of the chosen day as a link to the details step.</summary>
public sealed record CalendarTime(string Start, string End, string Label, string Url);

/// <summary>
/// What the visitor asked for in the address: <c>month=2026-12</c>, <c>day=2026-12-09</c>, <c>start=2026-12-09T09:30:00Z</c>.
/// Anything that does not parse is ignored (the page falls back to the first month and day with free times).
/// </summary>
public sealed record CalendarQuery(string? Month, string? Day, string? Start)
{
    public DateOnly? MonthValue =>
        DateOnly.TryParseExact(Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month : null;

    public DateOnly? DayValue =>
        DateOnly.TryParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public DateTime? StartValue => SlotPicker.ParseStart(Start);
}

/// <summary>
/// The booking page's calendar, as cal.com and Calendly show it: a month grid in the visitor's time zone with the days
/// that have free times as links, the chosen day's free times as links, and the chosen time for the details step. All
/// of it is links with query parameters, so it works without script; paging moves by a whole month, so no week is
/// shown twice. Shared by an expert's booking page and a service's (any available expert).
/// </summary>
public sealed record BookingCalendar
{
    /// <summary>Prefixes the ids: the zone select is <c>{IdPrefix}-tz</c>, the times <c>{IdPrefix}-times</c>.</summary>
    public required string IdPrefix { get; init; }
    public required TimeZoneInfo Zone { get; init; }
    public required string ZoneLabel { get; init; }
    /// <summary>True when the address names the zone, so the script must not replace it with the browser's.</summary>
    public bool ZoneChosen { get; init; }
    /// <summary>The first day of the month shown.</summary>
    public required DateOnly Month { get; init; }
    /// <summary>Monday-first weeks of the grid, each seven days.</summary>
    public required IReadOnlyList<IReadOnlyList<MonthDay>> Weeks { get; init; }
    public DateOnly? Day { get; init; }
    public required IReadOnlyList<CalendarTime> Times { get; init; }
    /// <summary>The chosen free time (the details step shows it); null until one is chosen.</summary>
    public Slot? Chosen { get; init; }
    /// <summary>A chosen time that is not free (any more), said at the day's times.</summary>
    public string? TimeError { get; init; }
    public string? EarlierUrl { get; init; }
    public string? LaterUrl { get; init; }
    /// <summary>The page the zone form goes to, with the query it keeps (the booking type).</summary>
    public required string PagePath { get; init; }
    public required IReadOnlyDictionary<string, string?> KeptQuery { get; init; }
    public required IReadOnlyList<TimeZoneGroup> TimeZones { get; init; }
    public required int SlotMinutes { get; init; }
    /// <summary>The address of the chosen day's times without a chosen time ("Change the time").</summary>
    public required string ChangeUrl { get; init; }
    /// <summary>True when no day within the horizon has a free time.</summary>
    public bool NothingFree { get; init; }

    public string TimeZoneId => IdPrefix + "-tz";
    public string TimesId => IdPrefix + "-times";
    public string TimesErrorId => IdPrefix + "-times-error";

    public string MonthTitle => Month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    public string? DayTitle => Day?.ToString("dddd d MMMM", CultureInfo.InvariantCulture);

    /// <summary>"Wednesday 9 December 2026, 09:30–10:15": the chosen time in the visitor's zone.</summary>
    public string? ChosenText => Chosen is { } slot ? Describe(slot, Zone) : null;

    public static string Describe(Slot slot, TimeZoneInfo zone)
    {
        var start = TimeZoneInfo.ConvertTimeFromUtc(slot.StartUtc, zone);
        var end = TimeZoneInfo.ConvertTimeFromUtc(slot.EndUtc, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{start:dddd d MMMM yyyy}, {start:HH:mm}–{end:HH:mm}");
    }

    /// <summary>
    /// Builds the calendar: reads the free times of the month asked for (or of the chosen time's or day's month; by
    /// default the first month from today with a free time) through <paramref name="freeSlots"/>, which answers the free
    /// slots starting in [fromUtc, fromUtc + days).
    /// </summary>
    public static async Task<BookingCalendar> CreateAsync(string idPrefix, CalendarQuery query, TimeZoneInfo zone, bool zoneChosen,
        TimeZoneInfo expertZone, DateTime nowUtc, int horizonDays, int slotMinutes, string pagePath, IReadOnlyDictionary<string, string?> keptQuery,
        Func<DateTime, int, Task<List<Slot>>> freeSlots)
    {
        var today = SlotCalculator.LocalDate(nowUtc, zone);
        var lastDay = SlotCalculator.LocalDate(nowUtc.AddDays(horizonDays), zone);
        var firstMonth = FirstOfMonth(today);
        var lastMonth = FirstOfMonth(lastDay);
        var start = query.StartValue;
        var startDay = start is { } s && s > nowUtc && s <= nowUtc.AddDays(horizonDays) ? SlotCalculator.LocalDate(s, zone) : (DateOnly?)null;
        var day = startDay ?? query.DayValue;
        if (day < today || day > lastDay)
        {
            day = null;
        }

        // A chosen time decides the month; else the month asked for; else the chosen day's.
        var asked = startDay is { } fromStart ? FirstOfMonth(fromStart) : query.MonthValue ?? (day is { } d ? FirstOfMonth(d) : null);
        var month = Clamp(asked ?? firstMonth, firstMonth, lastMonth);
        if (day is { } chosenDay && FirstOfMonth(chosenDay) != month)
        {
            day = null;
        }

        var slots = await MonthSlotsAsync(month, zone, freeSlots);
        // Nobody asked for a month: a month without free times moves on to the next one that has some.
        var nothingFree = false;
        if (asked is null && slots.Count == 0)
        {
            for (var next = month.AddMonths(1); next <= lastMonth; next = next.AddMonths(1))
            {
                var found = await MonthSlotsAsync(next, zone, freeSlots);
                if (found.Count > 0)
                {
                    (month, slots) = (next, found);
                    break;
                }
            }

            nothingFree = slots.Count == 0;
        }

        var byDay = slots.GroupBy(slot => SlotCalculator.LocalDate(slot.StartUtc, zone)).ToDictionary(group => group.Key, group => group.ToList());
        day ??= byDay.Keys.Order().Cast<DateOnly?>().FirstOrDefault();

        string Url(DateOnly? urlMonth, DateOnly? urlDay, DateTime? urlStart, string fragment)
        {
            var parameters = new Dictionary<string, string?>(keptQuery) { ["tz"] = zone.Id };
            if (urlMonth is { } m)
            {
                parameters["month"] = m.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            }

            if (urlDay is { } dd)
            {
                parameters["day"] = SlotWindow.Iso(dd);
            }

            if (urlStart is { } st)
            {
                parameters["start"] = SlotPicker.Iso(st);
            }

            return QueryHelpers.AddQueryString(pagePath, parameters.Where(pair => pair.Value is not null)) + fragment;
        }

        var weeks = new List<IReadOnlyList<MonthDay>>();
        var gridStart = month.AddDays(-(((int)month.DayOfWeek + 6) % 7));
        for (var weekStart = gridStart; weekStart < month.AddMonths(1); weekStart = weekStart.AddDays(7))
        {
            weeks.Add(Enumerable.Range(0, 7).Select(offset =>
            {
                var date = weekStart.AddDays(offset);
                var inMonth = FirstOfMonth(date) == month;
                var free = inMonth && byDay.TryGetValue(date, out var daySlots) ? daySlots.Count : 0;
                return new MonthDay(date, inMonth, free, free > 0 ? Url(month, date, null, "#" + idPrefix + "-times-heading") : null, date == day, date == today);
            }).ToList());
        }

        var dayTimes = day is { } shown && byDay.TryGetValue(shown, out var times) ? times : [];
        var chosen = start is { } wanted ? dayTimes.Where(slot => slot.StartUtc == wanted).Cast<Slot?>().FirstOrDefault() : null;

        return new BookingCalendar
        {
            IdPrefix = idPrefix,
            Zone = zone,
            ZoneLabel = Shared.TimeZones.Describe(zone, month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
            ZoneChosen = zoneChosen,
            Month = month,
            Weeks = weeks,
            Day = day,
            Times = dayTimes.Select(slot => new CalendarTime(SlotPicker.Iso(slot.StartUtc), SlotPicker.Iso(slot.EndUtc), TimeLabel(slot, zone),
                Url(month, day, slot.StartUtc, "#" + idPrefix + "-details-heading"))).ToList(),
            Chosen = chosen,
            TimeError = start is not null && chosen is null ? "That time is no longer free. Please choose another one." : null,
            EarlierUrl = month > firstMonth ? Url(month.AddMonths(-1), null, null, "#" + idPrefix + "-calendar") : null,
            LaterUrl = month < lastMonth ? Url(month.AddMonths(1), null, null, "#" + idPrefix + "-calendar") : null,
            PagePath = pagePath,
            KeptQuery = keptQuery,
            TimeZones = Shared.TimeZones.Choices(nowUtc, zone, expertZone),
            SlotMinutes = slotMinutes,
            ChangeUrl = Url(month, day, null, "#" + idPrefix + "-times-heading"),
            NothingFree = nothingFree,
        };
    }

    /// <summary>"09:30–10:15" in the zone.</summary>
    public static string TimeLabel(Slot slot, TimeZoneInfo zone) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{TimeZoneInfo.ConvertTimeFromUtc(slot.StartUtc, zone):HH:mm}–{TimeZoneInfo.ConvertTimeFromUtc(slot.EndUtc, zone):HH:mm}");

    /// <summary>
    /// The free slots that start on a local day of the month. Read from a day before to a day after in UTC (no zone is
    /// more than 14 hours off), so the month's first and last local days are whole whatever the zone and its DST rules.
    /// </summary>
    private static async Task<List<Slot>> MonthSlotsAsync(DateOnly month, TimeZoneInfo zone, Func<DateTime, int, Task<List<Slot>>> freeSlots)
    {
        var next = month.AddMonths(1);
        var fromUtc = month.AddDays(-1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var days = next.DayNumber - month.DayNumber + 2;
        var slots = await freeSlots(fromUtc, days);
        return slots.Where(slot => FirstOfMonth(SlotCalculator.LocalDate(slot.StartUtc, zone)) == month).OrderBy(slot => slot.StartUtc).ToList();
    }

    private static DateOnly FirstOfMonth(DateOnly date) => new(date.Year, date.Month, 1);

    private static DateOnly Clamp(DateOnly value, DateOnly min, DateOnly max) => value < min ? min : value > max ? max : value;
}
