using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Portfolio.Web.Booking;

/// <summary>
/// The two weeks of free slots a list shows, paged by the whole window, so a page never repeats a day of the
/// one before. Starts today (UTC) and never reaches past the expert's booking horizon.
/// </summary>
public sealed record SlotWindow(DateOnly From, DateOnly Today, int HorizonDays)
{
    public const int Days = 14;
    /// <summary>A page moves by all the days shown (it moved a week of two, so every week was shown twice).</summary>
    public const int PageStep = Days;

    /// <summary>The window a <c>from=yyyy-MM-dd</c> query asks for, kept between today and the horizon.</summary>
    public static SlotWindow Resolve(string? from, DateOnly today, int horizonDays)
    {
        var start = today;
        if (DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asked))
        {
            var last = today.AddDays(horizonDays);
            start = asked < today ? today : asked > last ? last : asked;
        }

        return new SlotWindow(start, today, horizonDays);
    }

    public DateTime FromUtc => From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The last day of the window.</summary>
    public DateOnly Until => From.AddDays(Days - 1);

    public DateOnly? Earlier => From > Today ? Max(Today, From.AddDays(-PageStep)) : null;

    /// <summary>The next window while this one ends before the horizon does.</summary>
    public DateOnly? Later => From.AddDays(Days) <= Today.AddDays(HorizonDays) ? From.AddDays(PageStep) : null;

    /// <summary>The <c>from</c> value of the window, or null for the default (today).</summary>
    public string? Query => From == Today ? null : Iso(From);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}

/// <summary>A free slot as a radio button: the value is the UTC start, the label the local time.</summary>
public sealed record SlotOption(string Value, string EndValue, string Id, string DayLabel, string TimeLabel);

/// <summary>The slots of one local day, shown as a fieldset with the day as its legend.</summary>
public sealed record SlotDay(string Heading, IReadOnlyList<SlotOption> Slots);

/// <summary>
/// What <c>_SlotPicker</c> renders: the free slots grouped by day in the visitor's time zone, the chosen
/// one, the paging links. The manage page's "move" form, and the booking page's details step when the server turned the
/// chosen time down (the other free times, inside the form, so the details are kept); booking.js
/// regroups the same radio buttons when the visitor picks another zone.
/// </summary>
public sealed record SlotPicker
{
    public const string FieldName = "start";

    /// <summary>Prefixes every id, so two pickers could share a page (<c>booking</c>, <c>move</c>).</summary>
    public required string IdPrefix { get; init; }
    public required string Legend { get; init; }
    public required TimeZoneInfo Zone { get; init; }
    public required string ZoneLabel { get; init; }
    /// <summary>True when the visitor chose the zone (query or form), so the script must not replace it with the detected one.</summary>
    public bool ZoneChosen { get; init; }
    public required IReadOnlyList<SlotDay> Days { get; init; }
    public required SlotWindow Window { get; init; }
    public required int SlotMinutes { get; init; }
    /// <summary>The UTC value of the chosen slot, kept after a failed POST.</summary>
    public string? Selected { get; init; }
    public string? Error { get; init; }
    /// <summary>What the script says when no slot is chosen: the service's own message for a missing start.</summary>
    public string RequiredMessage { get; init; } = "Choose a time.";
    public string? EarlierUrl { get; init; }
    public string? LaterUrl { get; init; }
    /// <summary>The page the time zone form and the paging links go to.</summary>
    public required string PagePath { get; init; }
    public required IReadOnlyList<TimeZoneGroup> TimeZones { get; init; }
    /// <summary>A problem with the posted time zone (only a tampered form has one).</summary>
    public string? TimeZoneError { get; init; }

    public string TimeZoneId => IdPrefix + "-tz";

    public string FieldsetId => IdPrefix + "-slots";
    public string HintId => IdPrefix + "-slots-hint";
    public string ErrorId => IdPrefix + "-slots-error";

    /// <summary>Where an error summary link goes: the first radio button, else the group.</summary>
    public string FocusId => Days.Count > 0 ? Days[0].Slots[0].Id : FieldsetId;

    public string WindowText =>
        string.Create(CultureInfo.InvariantCulture, $"{Window.From:ddd d MMM} – {Window.Until:ddd d MMM yyyy}");

    public static SlotPicker Create(string idPrefix, string legend, IEnumerable<Slot> slots, TimeZoneInfo zone, bool zoneChosen,
        TimeZoneInfo expertZone, SlotWindow window, int slotMinutes, string pagePath, string? selected, string? error)
    {
        var days = slots
            .Select(slot => (Slot: slot, LocalStart: TimeZoneInfo.ConvertTimeFromUtc(slot.StartUtc, zone), LocalEnd: TimeZoneInfo.ConvertTimeFromUtc(slot.EndUtc, zone)))
            .GroupBy(slot => DateOnly.FromDateTime(slot.LocalStart))
            .OrderBy(day => day.Key)
            .Select(day => new SlotDay(
                day.Key.ToString("dddd d MMMM", CultureInfo.InvariantCulture),
                day.OrderBy(slot => slot.Slot.StartUtc).Select(slot => new SlotOption(
                    Iso(slot.Slot.StartUtc),
                    Iso(slot.Slot.EndUtc),
                    idPrefix + "-slot-" + slot.Slot.StartUtc.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture),
                    slot.LocalStart.ToString("ddd d MMM", CultureInfo.InvariantCulture),
                    string.Create(CultureInfo.InvariantCulture, $"{slot.LocalStart:HH:mm}–{slot.LocalEnd:HH:mm}"))).ToList()))
            .ToList();

        return new SlotPicker
        {
            IdPrefix = idPrefix,
            Legend = legend,
            Zone = zone,
            ZoneLabel = Shared.TimeZones.Describe(zone, window.FromUtc),
            ZoneChosen = zoneChosen,
            Days = days,
            Window = window,
            SlotMinutes = slotMinutes,
            Selected = selected,
            Error = error,
            EarlierUrl = window.Earlier is { } earlier ? PageUrl(pagePath, zone, earlier, window.Today) : null,
            LaterUrl = window.Later is { } later ? PageUrl(pagePath, zone, later, window.Today) : null,
            PagePath = pagePath,
            TimeZones = Shared.TimeZones.Choices(window.FromUtc, zone, expertZone),
        };
    }

    /// <summary>The form value of a slot start: UTC, ISO 8601, to the second (<c>2026-11-03T09:30:00Z</c>).</summary>
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a posted slot value back; anything that is not a UTC instant is no slot.</summary>
    public static DateTime? ParseStart(string? value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start)
            ? DateTime.SpecifyKind(start, DateTimeKind.Utc)
            : null;

    private static string PageUrl(string pagePath, TimeZoneInfo zone, DateOnly from, DateOnly today)
    {
        var query = new Dictionary<string, string?> { ["tz"] = zone.Id };
        if (from != today)
        {
            query["from"] = SlotWindow.Iso(from);
        }

        // The anchor brings the visitor back to the list they were paging through.
        return QueryHelpers.AddQueryString(pagePath, query) + "#choose-time";
    }
}
