using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;
using AvailabilityRules = Portfolio.Web.Content.Availability;

namespace Portfolio.Web.Areas.Backoffice.Pages.Availability;

/// <summary>A new date override as the form posts it.</summary>
public sealed class OverrideInput
{
    public OverrideKind Kind { get; set; } = OverrideKind.Off;
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Start { get; set; }
    public string? End { get; set; }
    public string? Note { get; set; }
}

/// <summary>One day of the month grid.</summary>
public sealed record CalendarDay(DateOnly Date, bool InMonth, bool IsToday, IReadOnlyList<string> Windows, IReadOnlyList<AvailabilityOverride> Overrides, int Bookings);

/// <summary>
/// An expert's date overrides on a month calendar at <c>/umbraco/availability/{expert}/calendar</c>: each day shows its
/// weekly hours, its overrides and how many bookings it holds; overrides are added and removed with plain forms (no
/// JavaScript), each change saved and published like the rest of the availability (<see cref="AvailabilityEditor"/>).
/// </summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class CalendarModel(AvailabilityEditor editor, TimeProvider clock) : BackofficePageModel
{
    [BindProperty]
    public OverrideInput New { get; set; } = new();

    /// <summary>The profile's revision when the page was opened, to notice someone else's change.</summary>
    [BindProperty]
    public int Revision { get; set; }

    /// <summary>The month shown, <c>yyyy-MM</c>; the expert's current month when absent.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    /// <summary>A day picked on the calendar: the new override's form starts on it.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Day { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public ExpertAvailability? Expert { get; private set; }

    public DateOnly FirstOfMonth { get; private set; }

    public IReadOnlyList<IReadOnlyList<CalendarDay>> Weeks { get; private set; } = [];

    public static IReadOnlyList<DayOfWeek> Days => EditModel.Days;

    public async Task<IActionResult> OnGetAsync(string expert, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(expert, cancellationToken))
        {
            return NotFound();
        }

        Revision = Expert!.Revision;
        // The first and last years stay out of the grid: its weeks would run past the dates a DateOnly can hold.
        if (ParseDate(Day) is { Year: > 1 and < 9999 } day)
        {
            New = new OverrideInput { From = Day, To = Day };
            FirstOfMonth = new DateOnly(day.Year, day.Month, 1);
            await BuildGridAsync(cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(string expert, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(expert, cancellationToken))
        {
            return NotFound();
        }

        var from = ParseDate(New.From);
        var to = string.IsNullOrWhiteSpace(New.To) ? from : ParseDate(New.To);
        if (from is null)
        {
            ModelState.AddModelError($"{nameof(New)}.{nameof(New.From)}", "Enter the first day as YYYY-MM-DD, e.g. 2026-12-24.");
        }

        if (to is null && !string.IsNullOrWhiteSpace(New.To))
        {
            ModelState.AddModelError($"{nameof(New)}.{nameof(New.To)}", "Enter the last day as YYYY-MM-DD, or leave it empty for one day.");
        }

        if (!ModelState.IsValid)
        {
            return await PageWithGridAsync(cancellationToken);
        }

        var added = new AvailabilityOverride
        {
            Kind = New.Kind,
            From = from!.Value,
            To = to!.Value,
            Start = New.Kind == OverrideKind.Off ? "" : New.Start?.Trim() ?? "",
            End = New.Kind == OverrideKind.Off ? "" : New.End?.Trim() ?? "",
            Note = New.Note?.Trim() ?? "",
        };
        var overrides = Expert!.Availability.Overrides.Append(added).OrderBy(o => o.From).ThenBy(o => o.Kind).ToList();
        var index = overrides.IndexOf(added);
        var result = await SaveAsync(overrides, cancellationToken);
        if (result is AvailabilitySaveResult.Saved saved)
        {
            return RedirectToPage(new { expert, month = $"{added.From:yyyy-MM}", status = saved.Published ? "added" : "saved" });
        }

        if (result is AvailabilitySaveResult.Invalid invalid)
        {
            var prefix = $"{nameof(AvailabilityRules.Overrides)}[{index}].";
            foreach (var (field, messages) in invalid.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field.StartsWith(prefix, StringComparison.Ordinal) ? $"{nameof(New)}.{field[prefix.Length..]}" : "", message);
                }
            }
        }

        return await PageWithGridAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveAsync(string expert, int index, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(expert, cancellationToken))
        {
            return NotFound();
        }

        var overrides = Ordered(Expert!.Availability.Overrides).ToList();
        if (index < 0 || index >= overrides.Count)
        {
            ModelState.AddModelError("", "That override is no longer there; the list below is the current one.");
            Revision = Expert.Revision;
            return await PageWithGridAsync(cancellationToken);
        }

        var removed = overrides[index];
        overrides.RemoveAt(index);
        var result = await SaveAsync(overrides, cancellationToken);
        return result is AvailabilitySaveResult.Saved saved
            ? RedirectToPage(new { expert, month = Month ?? $"{removed.From:yyyy-MM}", status = saved.Published ? "removed" : "saved" })
            : await PageWithGridAsync(cancellationToken);
    }

    /// <summary>The overrides as the page lists them (and numbers them for "Remove").</summary>
    public static IEnumerable<AvailabilityOverride> Ordered(IEnumerable<AvailabilityOverride> overrides) =>
        overrides.OrderBy(o => o.From).ThenBy(o => o.Kind).ThenBy(o => o.Start, StringComparer.Ordinal);

    public static string Describe(AvailabilityOverride o) => o.Kind switch
    {
        OverrideKind.Off => "Day off",
        OverrideKind.Block => $"Blocked {o.Start}–{o.End}",
        _ => $"Extra hours {o.Start}–{o.End}",
    };

    public static string Dates(AvailabilityOverride o) =>
        o.From == o.To ? o.From.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)
            : $"{o.From.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)} – {o.To.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>The error for a field of the new override's form, if any.</summary>
    public string? ErrorFor(string field) =>
        ModelState.TryGetValue($"{nameof(New)}.{field}", out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    private async Task<AvailabilitySaveResult> SaveAsync(List<AvailabilityOverride> overrides, CancellationToken cancellationToken)
    {
        var result = await editor.SaveAsync(Expert!.Key, Expert.Availability with { Overrides = overrides }, Revision,
            User.Identity?.Name ?? CurrentUserId, cancellationToken);
        switch (result)
        {
            case AvailabilitySaveResult.Stale:
                ModelState.AddModelError("", "Someone changed this expert's availability since you opened the page. Check the calendar below and try again.");
                ModelState.Remove(nameof(Revision));
                Revision = Expert.Revision;
                break;
            case AvailabilitySaveResult.NotFound:
                ModelState.AddModelError("", "This expert is gone.");
                break;
        }

        return result;
    }

    private async Task<IActionResult> PageWithGridAsync(CancellationToken cancellationToken)
    {
        await BuildGridAsync(cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string expert, CancellationToken cancellationToken)
    {
        Expert = await editor.LoadAsync(expert, cancellationToken);
        if (Expert is null)
        {
            return false;
        }

        SetTitle($"Calendar: {Expert.Name}");
        var today = SlotCalculator.LocalDate(clock.GetUtcNow().UtcDateTime, Zone);
        FirstOfMonth = DateOnly.TryParseExact(Month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) && month.Year is > 1 and < 9999
            ? month
            : new DateOnly(today.Year, today.Month, 1);
        await BuildGridAsync(cancellationToken);
        return true;
    }

    private TimeZoneInfo Zone => TimeZones.FindOrUtc(Expert!.Availability.TimeZone);

    private async Task BuildGridAsync(CancellationToken cancellationToken)
    {
        var availability = Expert!.Availability;
        var today = SlotCalculator.LocalDate(clock.GetUtcNow().UtcDateTime, Zone);
        var first = FirstOfMonth.AddDays(-(((int)FirstOfMonth.DayOfWeek + 6) % 7));
        var lastOfMonth = FirstOfMonth.AddMonths(1).AddDays(-1);
        var last = lastOfMonth.AddDays((7 - (int)lastOfMonth.DayOfWeek) % 7);
        var bookings = await editor.BookingsPerDayAsync(Expert.Key, Zone, first, last, cancellationToken);
        var weeks = new List<IReadOnlyList<CalendarDay>>();
        for (var weekStart = first; weekStart <= last; weekStart = weekStart.AddDays(7))
        {
            weeks.Add(Enumerable.Range(0, 7).Select(offset =>
            {
                var date = weekStart.AddDays(offset);
                var windows = availability.Windows.Where(w => w.Day == date.DayOfWeek).OrderBy(w => w.Start, StringComparer.Ordinal)
                    .Select(w => $"{w.Start}–{w.End}").ToList();
                return new CalendarDay(date, date.Month == FirstOfMonth.Month, date == today, windows,
                    Ordered(availability.Overrides.Where(o => o.Covers(date))).ToList(), bookings.GetValueOrDefault(date));
            }).ToList());
        }

        Weeks = weeks;
    }

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
