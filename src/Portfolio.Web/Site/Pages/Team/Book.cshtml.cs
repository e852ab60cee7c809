using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Site.Pages.Bookings;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Team;

/// <summary>
/// <c>/team/{slug}/book</c>: the pattern of cal.com and Calendly. The meeting (expert, type, length, place) on one side;
/// a month calendar in the visitor's time zone with the days that have free times, the chosen day's times, then a short
/// details step that repeats the chosen time. Every step is a link with query parameters (<c>tz</c>, <c>month</c>,
/// <c>day</c>, <c>start</c>, <c>type</c>), so it works without script; the details post as before (Post/Redirect/Get to
/// the booking's manage page). Not output-cached: the form carries a per-visitor antiforgery token.
/// </summary>
[EnableRateLimiting(RateLimitingExtensions.BookingWrites)]
public sealed class BookModel(BookingService bookings, TimeProvider clock) : SitePageModel
{
    [BindProperty(SupportsGet = true, Name = "tz")] public string? TimeZoneId { get; set; }
    /// <summary>The old two-week list's paging (<c>from=yyyy-MM-dd</c>): read as the day to show.</summary>
    [BindProperty(SupportsGet = true, Name = "from")] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "month")] public string? Month { get; set; }
    [BindProperty(SupportsGet = true, Name = "day")] public string? Day { get; set; }
    /// <summary>The booking type's slug; empty for the expert's first.</summary>
    [BindProperty(SupportsGet = true, Name = "type")] public string? TypeSlug { get; set; }
    [BindProperty(SupportsGet = true, Name = SlotPicker.FieldName)] public string? Start { get; set; }
    [BindProperty(Name = "name")] public string? ClientName { get; set; }
    [BindProperty(Name = "email")] public string? Email { get; set; }
    [BindProperty(Name = "company")] public string? Company { get; set; }
    [BindProperty(Name = "topic")] public string? Topic { get; set; }
    [BindProperty(Name = "notes")] public string? Notes { get; set; }

    public ExpertProfile Expert { get; private set; } = new();
    public IReadOnlyList<BookingType> Types { get; private set; } = [];
    public BookingType Type { get; private set; } = new();
    public string ProfileUrl { get; private set; } = "";
    public string PagePath => ProfileUrl + "/book";
    /// <summary>An expert without weekly windows takes no online bookings.</summary>
    public bool TakesBookings => Expert.Availability.Windows.Count > 0;
    /// <summary>"Video call (…)", "Phone call", "In person: …"; null when the expert names no place.</summary>
    public string? Place { get; private set; }

    public BookingCalendar? Calendar { get; private set; }
    /// <summary>The details step, once a free time is chosen (or a post came back with errors).</summary>
    public BookingDetailsStep? Details { get; private set; }
    public ErrorSummary Summary { get; private set; } = ErrorSummary.None;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        switch (SlugLookup.Resolve<ExpertProfile>(Published, slug))
        {
            case SlugLookup.WrongCase wrongCase:
                return RedirectPermanent(wrongCase.CanonicalUrl + "/book" + Request.QueryString);
            case SlugLookup.Found { Item: var item }:
                var expert = await bookings.FindExpertAsync(item.Slug, cancellationToken);
                if (expert is null)
                {
                    return NotFound();
                }

                if (expert.FindType(TypeSlug) is null)
                {
                    return NotFound();
                }

                await ShowAsync(expert, item.Url, FormErrors.None, posted: false, cancellationToken);
                return Page();
            default:
                return NotFound();
        }
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        if (SlugLookup.Resolve<ExpertProfile>(Published, slug) is not SlugLookup.Found { Item: var item } ||
            await bookings.FindExpertAsync(item.Slug, cancellationToken) is not { } expert)
        {
            return NotFound();
        }

        // The zone the list was shown in; a non-IANA value is reported as a time zone error by the service.
        var zone = TimeZones.Find(TimeZoneId)?.Id ?? "";
        if (expert.FindType(TypeSlug) is not { } type)
        {
            return NotFound();
        }

        var request = new BookingRequest(expert.Slug, SlotPicker.ParseStart(Start), ClientName, Email, Company, Topic, Notes, zone,
            type.Slug, BookingPageParts.PostedAnswers(type, Request));
        var result = await bookings.BookAsync(request, AbsoluteUrl("/").TrimEnd('/'), idempotency: null, cancellationToken);
        switch (result)
        {
            case BookingResult.Created created:
                return new SeeOtherResult($"/bookings/manage/{created.ManageToken}?booked=1");
            case BookingResult.Invalid invalid:
                await ShowAsync(expert, item.Url, new FormErrors(invalid.Errors), posted: true, cancellationToken);
                return Page();
            case BookingResult.Taken taken:
                // The times are read again, so the taken one is gone from the alternatives; nothing stays selected.
                await ShowAsync(expert, item.Url, new FormErrors(new Dictionary<string, string[]> { ["start"] = [taken.Reason] }), posted: true, cancellationToken);
                return Page();
            default:
                return NotFound();
        }
    }

    /// <summary>"Book a consultation with Talha", "Book an intro call with Talha": the page's heading and title.</summary>
    public string Heading => Types.Count > 1
        ? $"Book {(Type.Title.Length > 0 && "aeiouAEIOU".Contains(Type.Title[0], StringComparison.Ordinal) ? "an" : "a")} {Type.Title.ToLowerInvariant()} with {Expert.Name}"
        : $"Book a consultation with {Expert.Name}";

    /// <summary>The page of a type (the first has none in its address).</summary>
    public string TypeUrl(BookingType type) => type.Slug == Types[0].Slug ? PagePath : $"{PagePath}?type={Uri.EscapeDataString(type.Slug)}";

    private async Task ShowAsync(BookableExpert expert, string? url, FormErrors errors, bool posted, CancellationToken cancellationToken)
    {
        Expert = expert.Profile;
        ProfileUrl = url ?? "/team/" + expert.Slug;
        Types = expert.Types;
        Type = expert.FindType(TypeSlug) ?? Types[0];
        Place = BookingPageParts.PlaceKind(Type.PlaceOr(expert.Profile.Availability.Location));
        var chosenZone = TimeZones.Find(TimeZoneId);
        var zone = chosenZone ?? expert.Zone;
        var availability = Type.Apply(expert.Profile.Availability);
        var now = clock.GetUtcNow().UtcDateTime;
        var isFirstType = Type.Slug == Types[0].Slug;
        var kept = new Dictionary<string, string?> { ["type"] = isFirstType ? null : Type.Slug };
        var type = Type;
        if (TakesBookings)
        {
            Calendar = await BookingCalendar.CreateAsync("booking", new CalendarQuery(Month, Day ?? From, Start), zone, chosenZone is not null, expert.Zone,
                now, availability.HorizonDays, availability.SlotMinutes, PagePath, kept,
                (fromUtc, days) => bookings.FreeSlotsAsync(expert, fromUtc, days, cancellationToken, type: type));
        }

        var startError = errors.For("start");
        if (Calendar is not null && (Calendar.Chosen is not null || posted))
        {
            SlotPicker? alternatives = null;
            if (startError is not null || (posted && Calendar.Chosen is null))
            {
                var window = SlotWindow.Resolve(BookingPageParts.AlternativesFrom(Start), DateOnly.FromDateTime(now), availability.HorizonDays);
                var free = await bookings.FreeSlotsAsync(expert, window.FromUtc, SlotWindow.Days, cancellationToken, type: Type);
                alternatives = BookingPageParts.Alternatives(free, zone, expert.Zone, window, availability.SlotMinutes, PagePath,
                    startError ?? Calendar.TimeError ?? "Choose a time.");
            }

            Details = new BookingDetailsStep
            {
                Action = PagePath,
                Hidden = new Dictionary<string, string?> { ["tz"] = zone.Id, ["type"] = isFirstType ? null : Type.Slug },
                Start = Calendar.Chosen is { } chosen ? SlotPicker.Iso(chosen.StartUtc) : null,
                ChosenText = Calendar.ChosenText,
                ZoneText = TimeZones.Describe(zone, now),
                ChangeUrl = Calendar.ChangeUrl,
                Alternatives = alternatives,
                Fields = BookingPageParts.Fields(errors, ClientName, Email, Company, Topic, Notes, expert.Profile.Name),
                Questions = BookingPageParts.Questions(Type, Request, errors),
                ButtonText = "Book consultation",
                Privacy = "We use your details only to arrange this consultation.",
            };
            Summary = errors.Summary(
            [
                ("timeZone", "booking-form"), ("start", alternatives?.FocusId), ("name", "booking-name"), ("email", "booking-email"),
                ("company", "booking-company"), ("topic", "booking-topic"), ("notes", "booking-notes"),
                .. Details.Questions.Select(question => (BookingAnswers.Field(question.Question.Key), (string?)question.FocusId)),
            ]);
        }

        var title = Heading;
        Describe(title,
            $"Choose a free time for a {availability.SlotMinutes}-minute consultation with {expert.Profile.Name}, {expert.Profile.Role}, and book it online. Times are shown in your own time zone.",
            isFirstType ? PagePath : TypeUrl(Type));
        if (Summary.Any)
        {
            // Without script nothing moves focus to the summary; the title is the first thing read out.
            Meta.Title = "Error: " + Meta.Title;
        }
    }
}

/// <summary>A booking question as the form shows it: its control's id, what was posted, its error.</summary>
public sealed record QuestionField(BookingQuestion Question, string Id, string? Value, string? Error)
{
    public string Name => BookingAnswers.Field(Question.Key);
    public string HintId => Id + "-hint";
    public string ErrorId => Id + "-error";

    /// <summary>Where the error summary points: the control, or a choice's first option.</summary>
    public string FocusId => Question.Kind == BookingQuestionKind.SingleChoice ? Id + "-0" : Id;

    public string? DescribedBy =>
        string.Join(' ', new[] { Question.Help.Length > 0 ? HintId : null, Error is null ? null : ErrorId }.OfType<string>()) is { Length: > 0 } ids ? ids : null;
}
