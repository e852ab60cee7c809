using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// The list of free times with its time zone select, as the booking page (ids prefixed <c>booking</c>) and the
/// manage page's move form (<c>move</c>) show it: one radio group <c>name=start</c> whose values are UTC starts,
/// a fieldset per local day, labels such as "Tue 3 Nov, 09:30–10:15" in the zone the select shows.
/// </summary>
public sealed partial class SlotList(FormPage owner, string idPrefix)
{
    private IPage Page => owner.Page;

    public ILocator TimeZoneSelect => Page.Locator($"#{idPrefix}-tz");

    /// <summary>The time zone form's "Show times" button: needed without script, hidden with it.</summary>
    public ILocator ShowTimesButton => Page.Locator("form[data-timezone-form] button[type='submit']");

    public ILocator Group => Page.Locator($"#{idPrefix}-slots");

    public ILocator Days => Group.Locator("fieldset.slot-day");

    public ILocator Radios => Group.Locator("input[type='radio'][name='start']");

    public ILocator Checked => Group.Locator("input[type='radio']:checked");

    /// <summary>"Shown in New York time, America/New_York (UTC-05:00)".</summary>
    public ILocator ZoneLabel => Group.Locator("[data-zone-label]");

    public ILocator Error => owner.ErrorFor($"{idPrefix}-slots");

    /// <summary>
    /// Picks a time by keyboard: Tab on into the group (focus lands on its first radio, or the checked one),
    /// <paramref name="stepsDown"/> presses of ArrowDown, Space. Returns the slot now chosen.
    /// </summary>
    public async Task<SlotChoice> ChooseByKeyboardAsync(int stepsDown)
    {
        await owner.TabOnToAsync(Group, "the list of free times");
        for (var step = 0; step < stepsDown; step++)
        {
            await Page.Keyboard.PressAsync("ArrowDown");
        }

        await Page.Keyboard.PressAsync("Space");
        return await ReadAsync(Checked);
    }

    /// <summary>The slot behind a radio button: its id, UTC start and end, and its label as a visitor reads it.</summary>
    public async Task<SlotChoice> ReadAsync(ILocator radio)
    {
        var values = await radio.EvaluateAsync<string[]>(
            "input => [input.id, input.value, input.dataset.end || '', document.querySelector(`label[for=\"${input.id}\"]`)?.textContent || '']");
        return new SlotChoice(values[0], values[1], values[2], Spaces().Replace(values[3], " ").Trim());
    }

    /// <summary>Every slot in the list, in page order.</summary>
    public async Task<IReadOnlyList<SlotChoice>> AllAsync()
    {
        var slots = new List<SlotChoice>();
        foreach (var radio in await Radios.AllAsync())
        {
            slots.Add(await ReadAsync(radio));
        }

        return slots;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

/// <summary>A free time as the page offers it: the radio's id and UTC values, and the label a visitor reads.</summary>
public sealed record SlotChoice(string Id, string StartUtc, string EndUtc, string Label)
{
    public DateTime Start => ParseUtc(StartUtc);

    public DateTime End => ParseUtc(EndUtc);

    /// <summary>The form of <c>DTSTART</c> in the invitation: <c>20261103T093000Z</c>.</summary>
    public string CalendarStart => Start.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>What a time link of the booking page's day reads in <paramref name="timeZoneId"/>: "04:30–05:15".</summary>
    public string ExpectedTimeIn(string timeZoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        return string.Create(CultureInfo.InvariantCulture, $"{TimeZoneInfo.ConvertTimeFromUtc(Start, zone):HH:mm}–{TimeZoneInfo.ConvertTimeFromUtc(End, zone):HH:mm}");
    }

    /// <summary>The local date of the start in <paramref name="timeZoneId"/> (yyyy-MM-dd).</summary>
    public string LocalDayIn(string timeZoneId) =>
        TimeZoneInfo.ConvertTimeFromUtc(Start, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>How the details step repeats the time: "Tuesday 3 November 2026, 04:30–05:15".</summary>
    public string ExpectedChosenIn(string timeZoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var start = TimeZoneInfo.ConvertTimeFromUtc(Start, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{start:dddd d MMMM yyyy}, {start:HH:mm}–{TimeZoneInfo.ConvertTimeFromUtc(End, zone):HH:mm}");
    }

    /// <summary>What the label must read in <paramref name="timeZoneId"/>: "Tue 3 Nov, 04:30–05:15".</summary>
    public string ExpectedLabelIn(string timeZoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var start = TimeZoneInfo.ConvertTimeFromUtc(Start, zone);
        var end = TimeZoneInfo.ConvertTimeFromUtc(End, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{start:ddd d MMM}, {start:HH:mm}–{end:HH:mm}");
    }

    /// <summary>How the manage page and the mails write the time: "Tuesday 3 November 2026, 04:30–05:15 (America/New_York)".</summary>
    public string ExpectedDescriptionIn(string timeZoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var start = TimeZoneInfo.ConvertTimeFromUtc(Start, zone);
        var end = TimeZoneInfo.ConvertTimeFromUtc(End, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{start:dddd d MMMM yyyy}, {start:HH:mm}–{end:HH:mm} ({timeZoneId})");
    }

    private static DateTime ParseUtc(string value) =>
        DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
