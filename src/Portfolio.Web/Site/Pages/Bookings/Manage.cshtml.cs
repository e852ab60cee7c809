using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portfolio.Web.Booking;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Bookings;

/// <summary>Which confirmation the manage page shows after a redirect.</summary>
public enum ManageNotice
{
    None,
    Booked,
    Moved,
    Cancelled,
}

/// <summary>
/// <c>/bookings/manage/{token}</c>: the client's own view of a booking, reached through the unguessable
/// link in their e-mail. Shows the booking and lets them cancel or move it until the minimum notice.
/// Never indexed, never cached (<c>Cache-Control: no-store</c>), and the page links to nothing outside
/// the site, so the token in its address is not handed to anyone else.
/// </summary>
[EnableRateLimiting(RateLimitingExtensions.BookingWrites)]
public sealed class ManageModel(BookingService bookings, TimeProvider clock) : SitePageModel
{
    [BindProperty(SupportsGet = true, Name = "tz")] public string? TimeZoneId { get; set; }
    [BindProperty(SupportsGet = true, Name = "from")] public string? From { get; set; }
    [BindProperty(Name = SlotPicker.FieldName)] public string? Start { get; set; }
    /// <summary>The client's optional reason for moving or cancelling; the owner reads it.</summary>
    [BindProperty(Name = "reason")] public string? Reason { get; set; }

    /// <summary>The reason fields of the move and cancel forms; the one of the form posted keeps what was typed.</summary>
    public FormField MoveReason { get; private set; } = ReasonField("move-reason", "Why are you moving it?");
    public FormField CancelReason { get; private set; } = ReasonField("cancel-reason", "Why are you cancelling?");

    public ConsultationBooking Booking { get; private set; } = new();
    public string ExpertName { get; private set; } = "";
    /// <summary>The expert's profile, or null when it is no longer published.</summary>
    public string? ExpertUrl { get; private set; }
    public string ClientTime { get; private set; } = "";
    /// <summary>The time in the expert's zone, or null when it reads the same as the client's.</summary>
    public string? ExpertTime { get; private set; }
    public bool CanChange { get; private set; }
    public bool IsPast { get; private set; }
    public string NoticeText { get; private set; } = "";
    public ManageNotice Notice { get; private set; }
    public SlotPicker? Slots { get; private set; }
    public ErrorSummary Summary { get; private set; } = ErrorSummary.None;
    public string PagePath { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } booking)
        {
            return NotFound();
        }

        var query = Request.Query;
        var confirmed = booking.Status == BookingStatus.Confirmed;
        Notice = confirmed && query.ContainsKey("booked") ? ManageNotice.Booked
            : confirmed && query.ContainsKey("moved") ? ManageNotice.Moved
            : !confirmed && query.ContainsKey("cancelled") ? ManageNotice.Cancelled
            : ManageNotice.None;
        await ShowAsync(booking, FormErrors.None, null, cancellationToken);
        return Page();
    }

    /// <summary>The meeting as a calendar file, for calendars the links do not reach (Apple, Thunderbird, desktop Outlook).</summary>
    public async Task<IActionResult> OnGetIcsAsync(string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { Status: BookingStatus.Confirmed } booking)
        {
            return NotFound();
        }

        // Only the names: the page's free times and the rest of ShowAsync are not in the file.
        var expert = await NameMeetingAsync(booking, cancellationToken);
        var text = bookings.ClientCalendarFile(booking, expert?.Profile, CalendarTitle, CalendarDetails);
        return File(System.Text.Encoding.UTF8.GetBytes(text), "text/calendar; charset=utf-8", "consultation.ics");
    }

    public string CalendarTitle => $"{MeetingTitle} with {ExpertName}";

    /// <summary>The booking type's name ("Intro call"), as the invitations call the meeting.</summary>
    public string MeetingTitle { get; private set; } = "Consultation";

    private string CalendarDetails => $"{CalendarTitle}: {Booking.Topic}\nManage: {AbsoluteUrl(PagePath)}";

    /// <summary>Google Calendar's "add event" address for this meeting (times in UTC).</summary>
    public string GoogleCalendarUrl => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("https://calendar.google.com/calendar/render",
        new Dictionary<string, string?>
        {
            ["action"] = "TEMPLATE",
            ["text"] = CalendarTitle,
            ["dates"] = $"{Booking.StartUtc:yyyyMMdd'T'HHmmss'Z'}/{Booking.EndUtc:yyyyMMdd'T'HHmmss'Z'}",
            ["details"] = Booking.Topic,
            // The meeting place goes with the event (the room link, the phone number or the address); left out without one.
            ["location"] = MeetingPlaces.Of(Booking)?.Value,
        }.Where(pair => pair.Value is not null));

    /// <summary>Outlook on the web's "new event" address for this meeting.</summary>
    public string OutlookCalendarUrl => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("https://outlook.live.com/calendar/0/deeplink/compose",
        new Dictionary<string, string?>
        {
            ["path"] = "/calendar/action/compose",
            ["rru"] = "addevent",
            ["subject"] = CalendarTitle,
            ["startdt"] = Booking.StartUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["enddt"] = Booking.EndUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["body"] = Booking.Topic,
            ["location"] = MeetingPlaces.Of(Booking)?.Value,
        }.Where(pair => pair.Value is not null));

    public async Task<IActionResult> OnPostCancelAsync(string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } booking)
        {
            return NotFound();
        }

        _posted = "cancel";
        switch (await bookings.CancelAsync(booking, byOwner: false, cancellationToken, Reason))
        {
            case BookingResult.Cancelled:
                return new SeeOtherResult(PagePath + "?cancelled=1");
            case BookingResult.Invalid invalid:
                await ShowAsync(booking, new FormErrors(invalid.Errors), null, cancellationToken);
                return Page();
            case BookingResult.Changed:
                return await ShowChangedMeanwhileAsync(token, booking, cancellationToken);
            default:
                // Already cancelled (say, in another tab): the page shows it as it is.
                return new SeeOtherResult(PagePath);
        }
    }

    public async Task<IActionResult> OnPostRescheduleAsync(string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } booking)
        {
            return NotFound();
        }

        _posted = "move";
        var result = await bookings.RescheduleAsync(booking, SlotPicker.ParseStart(Start), AbsoluteUrl("/").TrimEnd('/'), token, cancellationToken, Reason);
        switch (result)
        {
            case BookingResult.Moved:
                return new SeeOtherResult(PagePath + "?moved=1");
            case BookingResult.Changed:
                return await ShowChangedMeanwhileAsync(token, booking, cancellationToken);
            case BookingResult.Invalid invalid:
                await ShowAsync(booking, new FormErrors(invalid.Errors), Start, cancellationToken);
                return Page();
            case BookingResult.Taken taken:
                // A failed save cleared the change tracker: read the booking again as it is stored.
                var current = await bookings.FindByTokenAsync(token, cancellationToken) ?? booking;
                await ShowAsync(current, new FormErrors(new Dictionary<string, string[]> { ["start"] = [taken.Reason] }), null, cancellationToken);
                return Page();
            default:
                return NotFound();
        }
    }

    /// <summary>The booking as it is stored now, with a word on why nothing happened (a failed save cleared the tracker).</summary>
    private async Task<IActionResult> ShowChangedMeanwhileAsync(string token, ConsultationBooking booking, CancellationToken cancellationToken)
    {
        var current = await bookings.FindByTokenAsync(token, cancellationToken) ?? booking;
        var errors = new Dictionary<string, string[]> { ["booking"] = ["This booking was changed meanwhile (in another window, or by us). Here it is as it is now: please try again."] };
        await ShowAsync(current, new FormErrors(errors), null, cancellationToken);
        return Page();
    }

    /// <summary>Which form was posted ("move", "cancel"), so that its reason field keeps its text and error.</summary>
    private string? _posted;

    private static FormField ReasonField(string id, string label) =>
        FormField.Optional("reason", id, label, "the reason", ConsultationBooking.ReasonMaxLength, FormFieldKind.TextArea) with
        {
            Rows = 3,
            Hint = "We read it when we plan the next meeting.",
        };

    private async Task<ConsultationBooking?> FindAsync(string token, CancellationToken cancellationToken)
    {
        // Personal data behind a bearer link: no browser, proxy or shared cache may keep a copy.
        Response.Headers.CacheControl = "no-store";
        SiteDelivery.DoNotCompress(HttpContext);
        await LoadPublishedAsync(cancellationToken);
        PagePath = "/bookings/manage/" + token;
        return await bookings.FindByTokenAsync(token, cancellationToken);
    }

    /// <summary>Sets the booking, its expert's name and page and the meeting's title; returns the expert (null when no longer published).</summary>
    private async Task<BookableExpert?> NameMeetingAsync(ConsultationBooking booking, CancellationToken cancellationToken)
    {
        Booking = booking;
        var expert = await bookings.FindExpertAsync(booking.ExpertSlug, cancellationToken);
        ExpertName = expert?.Profile.Name ?? booking.ExpertSlug;
        MeetingTitle = expert is null ? "Consultation" : Portfolio.Web.Content.BookingTypes.TitleOf(expert.Profile, booking.BookingType);
        ExpertUrl = expert is null ? null : "/team/" + expert.Slug;
        return expert;
    }

    private async Task ShowAsync(ConsultationBooking booking, FormErrors errors, string? selected, CancellationToken cancellationToken)
    {
        var expert = await NameMeetingAsync(booking, cancellationToken);
        var clientZone = TimeZones.Find(booking.ClientTimeZone);
        ClientTime = BookingService.Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone);
        if (expert is not null && expert.Zone.Id != clientZone?.Id)
        {
            ExpertTime = BookingService.Describe(booking.StartUtc, booking.EndUtc, expert.Zone.Id);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        CanChange = bookings.CanChange(booking);
        IsPast = booking.EndUtc <= now;
        var notice = bookings.ChangeMinimumNotice;
        NoticeText = notice.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{notice.TotalHours:0} hours")
            : string.Create(CultureInfo.InvariantCulture, $"{notice.TotalMinutes:0} minutes");

        if (CanChange && expert is not null && expert.Profile.Availability.Windows.Count > 0)
        {
            var chosenZone = TimeZones.Find(TimeZoneId);
            var zone = chosenZone ?? clientZone ?? expert.Zone;
            var availability = expert.Profile.Availability;
            var window = SlotWindow.Resolve(From, DateOnly.FromDateTime(now), availability.HorizonDays);
            var free = await bookings.FreeSlotsAsync(expert, window.FromUtc, SlotWindow.Days, cancellationToken, movingBooking: booking);
            // The zone the client booked in counts as chosen: the script keeps it rather than swapping in the detected one.
            Slots = SlotPicker.Create("move", "Free times", free, zone, zoneChosen: true, expert.Zone, window,
                availability.SlotMinutes, PagePath, selected, errors.For("start")) with { RequiredMessage = "Choose a new time." };
        }

        var reasonError = errors.For("reason");
        if (_posted == "move")
        {
            MoveReason = MoveReason with { Value = Reason, Error = reasonError };
        }
        else if (_posted == "cancel")
        {
            CancelReason = CancelReason with { Value = Reason, Error = reasonError };
        }

        Summary = errors.Summary(("start", Slots?.FocusId), ("reason", _posted == "cancel" ? CancelReason.Id : MoveReason.Id), ("booking", null));
        Describe($"Your consultation with {ExpertName}", "See your consultation booking, move it to another time or cancel it.", PagePath);
        Meta.NoIndex = true;
        if (Summary.Any)
        {
            Meta.Title = "Error: " + Meta.Title;
        }
    }
}
