using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Bookings;
using Portfolio.Web.Booking;
using AvailabilityRules = Portfolio.Web.Content.Availability;

namespace Portfolio.Web.Areas.Backoffice.Pages.Availability;

/// <summary>A weekly window as the form posts it.</summary>
public sealed class WindowInput
{
    public DayOfWeek Day { get; set; } = DayOfWeek.Monday;
    public string? Start { get; set; }
    public string? End { get; set; }
}

/// <summary>Where the expert meets clients, as the form posts it.</summary>
public sealed class LocationInput
{
    public MeetingLocationKind Kind { get; set; }
    public string? Value { get; set; }
}

/// <summary>The availability form. Windows are a list that grows and shrinks by button, without JavaScript; date overrides have their own page (the calendar).</summary>
public sealed class AvailabilityInput
{
    public string? TimeZone { get; set; }
    public List<WindowInput> Windows { get; set; } = [];
    public int SlotMinutes { get; set; }
    public int BufferMinutes { get; set; }
    public int MinimumNoticeHours { get; set; }
    public int HorizonDays { get; set; }
    public int MaxPerDay { get; set; }
    public LocationInput Location { get; set; } = new();
    /// <summary>The profile's revision when the form was opened, to notice someone else's change.</summary>
    public int Revision { get; set; }

    public static AvailabilityInput From(AvailabilityRules availability, int revision) => new()
    {
        TimeZone = availability.TimeZone,
        Windows = availability.Windows.Select(window => new WindowInput { Day = window.Day, Start = window.Start, End = window.End }).ToList(),
        SlotMinutes = availability.SlotMinutes,
        BufferMinutes = availability.BufferMinutes,
        MinimumNoticeHours = availability.MinimumNoticeHours,
        HorizonDays = availability.HorizonDays,
        MaxPerDay = availability.MaxPerDay,
        Location = new LocationInput { Kind = availability.Location.Kind, Value = availability.Location.Value },
        Revision = revision,
    };
}

/// <summary>
/// An expert's availability at <c>/umbraco/availability/{expert}</c>: time zone, weekly windows, slot length,
/// buffer, notice, horizon and maximum per day (date overrides: <see cref="CalendarModel"/>), validated by <see cref="AvailabilityRules"/>'s own rules.
/// </summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class EditModel(
    AvailabilityEditor editor, ExpertCalendarFeeds feeds, PublishedContentCache content, SiteUrls urls, BusyCalendarStore calendars,
    BusyCalendarJob calendarJob, TimeProvider clock) : BackofficePageModel
{
    /// <summary>What the place choices are called.</summary>
    public static IReadOnlyList<(MeetingLocationKind Kind, string Label)> LocationKinds { get; } =
    [
        (MeetingLocationKind.None, "Not given (you arrange it with the client)"),
        (MeetingLocationKind.VideoRoom, "The same video room for every meeting"),
        (MeetingLocationKind.VideoRoomPerBooking, "A video room of its own for every booking"),
        (MeetingLocationKind.Phone, "A phone number"),
        (MeetingLocationKind.Address, "An address"),
    ];

    /// <summary>When the expert's calendar feed link was made; null without one.</summary>
    public DateTime? FeedCreatedUtc { get; private set; }

    /// <summary>A feed link just made or replaced: shown on this answer only (only its hash is kept).</summary>
    public string? NewFeedUrl { get; private set; }

    /// <summary>Whether <see cref="NewFeedUrl"/> replaced an earlier link.</summary>
    public bool FeedReplaced { get; private set; }

    /// <summary>Set after the feed link was removed.</summary>
    public bool FeedRevoked { get; private set; }

    public static IReadOnlyList<DayOfWeek> Days { get; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    [BindProperty]
    public AvailabilityInput Form { get; set; } = new();

    /// <summary>Set by the "Add a window" button.</summary>
    [BindProperty]
    public string? Add { get; set; }

    /// <summary>Set by a "Remove" button: <c>window:2</c>.</summary>
    [BindProperty]
    public string? Remove { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public ExpertAvailability? Expert { get; private set; }

    /// <summary>The expert's own calendar (busy times), if one is set; never its URL.</summary>
    public BusyFeedStatus? Feed { get; private set; }

    /// <summary>A new calendar address, posted by the busy-times form only.</summary>
    [BindProperty]
    public string? FeedUrl { get; set; }

    public IReadOnlyList<TimeZoneGroup> TimeZones { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string expert, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(expert, cancellationToken))
        {
            return NotFound();
        }

        Form = AvailabilityInput.From(Expert!.Availability, Expert.Revision);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string expert, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(expert, cancellationToken))
        {
            return NotFound();
        }

        if (Add is not null || Remove is not null)
        {
            ChangeLists();
            // The lists changed shape: render them from the model, not from the posted values.
            ModelState.Clear();
            Status = null;
            return Page();
        }

        var (availability, parseErrors) = ToAvailability();
        foreach (var (field, message) in parseErrors)
        {
            ModelState.AddModelError(field, message);
        }

        if (parseErrors.Count > 0)
        {
            return Page();
        }

        var result = await editor.SaveAsync(Expert!.Key, availability, Form.Revision, User.Identity?.Name ?? CurrentUserId, cancellationToken);
        switch (result)
        {
            case AvailabilitySaveResult.Saved saved:
                return RedirectToPage(new { expert, status = saved.Published ? "published" : "saved" });
            case AvailabilitySaveResult.Invalid invalid:
                foreach (var (field, messages) in invalid.Errors)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(field.Length == 0 ? "" : $"{nameof(Form)}.{field}", Readable(field, message));
                    }
                }

                return Page();
            case AvailabilitySaveResult.Stale:
                ModelState.AddModelError("", "Someone changed this expert's profile since you opened the form. Your changes are still below; save again to apply them on top.");
                ModelState.Remove($"{nameof(Form)}.{nameof(Form.Revision)}");
                Form.Revision = Expert.Revision;
                return Page();
            default:
                return NotFound();
        }
    }

    /// <summary>Saves the address of the expert's own calendar (encrypted; shown only as its host from now on) and fetches it soon.</summary>
    public async Task<IActionResult> OnPostBusyFeedAsync(string expert, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(expert, cancellationToken))
        {
            return NotFound();
        }

        var text = FeedUrl?.Trim() ?? "";
        // webcal:// is what calendar apps hand out for the same feed over https.
        if (text.StartsWith("webcal://", StringComparison.OrdinalIgnoreCase))
        {
            text = "https://" + text["webcal://".Length..];
        }

        var problem = text.Length == 0 ? "Enter the calendar's address (it ends in .ics with most calendar apps)."
            : text.Length > 2000 || !Uri.TryCreate(text, UriKind.Absolute, out var url) ? "Enter a whole address, starting with https://."
            : BusyCalendarFetcher.Refusal(url);
        if (problem is not null)
        {
            ModelState.AddModelError(nameof(FeedUrl), problem);
            Form = AvailabilityInput.From(Expert!.Availability, Expert.Revision);
            return Page();
        }

        await calendars.SetUrlAsync(Expert!.Key, new Uri(text), clock.GetUtcNow().UtcDateTime, cancellationToken);
        calendarJob.Wake();
        return RedirectToPage(new { expert, status = "feed-saved" });
    }

    public async Task<IActionResult> OnPostBusyFeedRemoveAsync(string expert, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(expert, cancellationToken))
        {
            return NotFound();
        }

        await calendars.RemoveAsync(Expert!.Key, cancellationToken);
        return RedirectToPage(new { expert, status = "feed-removed" });
    }

    /// <summary>Makes the expert's calendar feed link, or replaces it (the old one stops working), and shows it once.</summary>
    public async Task<IActionResult> OnPostFeedAsync(string expert, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(expert, cancellationToken))
        {
            return NotFound();
        }

        FeedReplaced = FeedCreatedUtc is not null;
        var token = await feeds.CreateOrRotateAsync(Expert!.Key, cancellationToken);
        var snapshot = await content.GetAsync(cancellationToken);
        NewFeedUrl = urls.BaseUrl(Request, snapshot.Singleton<SiteSettings>()).TrimEnd('/') + ExpertCalendarFeeds.PathPrefix + token;
        FeedCreatedUtc = clock.GetUtcNow().UtcDateTime;
        ShowSavedAvailability();
        // The page holds the secret: no cache keeps it (the backoffice's pages are not stored anyway; this says so here too).
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>Removes the expert's calendar feed link: it answers 404 from now on.</summary>
    public async Task<IActionResult> OnPostRevokeFeedAsync(string expert, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(expert, cancellationToken))
        {
            return NotFound();
        }

        await feeds.RevokeAsync(Expert!.Key, cancellationToken);
        FeedCreatedUtc = null;
        FeedRevoked = true;
        ShowSavedAvailability();
        return Page();
    }

    /// <summary>The feed's forms post none of the availability: the form shows what is saved.</summary>
    private void ShowSavedAvailability()
    {
        ModelState.Clear();
        Status = null;
        Form = AvailabilityInput.From(Expert!.Availability, Expert.Revision);
        TimeZones = Portfolio.Web.Shared.TimeZones.All(clock.GetUtcNow().UtcDateTime, Form.TimeZone);
    }

    /// <summary>What the form calls each number; the rules' own messages name the property ("The field SlotMinutes …").</summary>
    public static IReadOnlyDictionary<string, string> NumberLabels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(AvailabilityInput.SlotMinutes)] = "Meeting length (minutes)",
        [nameof(AvailabilityInput.BufferMinutes)] = "Buffer between meetings (minutes)",
        [nameof(AvailabilityInput.MinimumNoticeHours)] = "Minimum notice (hours)",
        [nameof(AvailabilityInput.HorizonDays)] = "Bookable ahead (days)",
        [nameof(AvailabilityInput.MaxPerDay)] = "Most meetings a day",
    };

    private static string Readable(string field, string message) =>
        NumberLabels.TryGetValue(field, out var label) ? message.Replace($"The field {field}", label, StringComparison.Ordinal) : message;

    /// <summary>The error for a field of the form, if any.</summary>
    public string? ErrorFor(string field) =>
        ModelState.TryGetValue($"{nameof(Form)}.{field}", out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    private void ChangeLists()
    {
        switch (Add)
        {
            case "window":
                var last = Form.Windows.LastOrDefault();
                Form.Windows.Add(new WindowInput { Day = last is null ? DayOfWeek.Monday : Days[(Days.ToList().IndexOf(last.Day) + 1) % 7], Start = "09:00", End = "17:00" });
                break;
        }

        var parts = Remove?.Split(':');
        if (parts is [var list, var position] && int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (list == "window" && index < Form.Windows.Count)
            {
                Form.Windows.RemoveAt(index);
            }
        }
    }

    private (AvailabilityRules Availability, List<(string Field, string Message)> Errors) ToAvailability()
    {
        var errors = new List<(string, string)>();
        var availability = new AvailabilityRules
        {
            TimeZone = Form.TimeZone?.Trim() ?? "",
            Windows = Form.Windows.Select(window => new WeeklyWindow { Day = window.Day, Start = window.Start?.Trim() ?? "", End = window.End?.Trim() ?? "" }).ToList(),
            SlotMinutes = Form.SlotMinutes,
            BufferMinutes = Form.BufferMinutes,
            MinimumNoticeHours = Form.MinimumNoticeHours,
            HorizonDays = Form.HorizonDays,
            MaxPerDay = Form.MaxPerDay,
            // Edited on the calendar page; the revision check refuses this save if they changed since the form opened.
            Overrides = Expert!.Availability.Overrides,
            Location = new MeetingLocation { Kind = Form.Location.Kind, Value = Form.Location.Value?.Trim() ?? "" },
        };
        return (availability, errors);
    }

    private async Task<bool> LoadAsync(string expert, CancellationToken cancellationToken)
    {
        Expert = await editor.LoadAsync(expert, cancellationToken);
        if (Expert is null)
        {
            return false;
        }

        SetTitle($"Availability: {Expert.Name}");
        Feed = await calendars.StatusAsync(Expert.Key, cancellationToken);
        FeedCreatedUtc = await feeds.CreatedAsync(Expert.Key, cancellationToken);
        TimeZones = Portfolio.Web.Shared.TimeZones.All(clock.GetUtcNow().UtcDateTime, Form.TimeZone ?? Expert.Availability.TimeZone);
        return true;
    }
}
