using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Site.Pages.Bookings;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Team;

/// <summary>
/// <c>/team/{slug}/book</c>: pick a free slot (shown in the visitor's time zone) and book it. Works
/// without script; on success the visitor lands on the booking's manage page (Post/Redirect/Get).
/// Not output-cached: the form carries a per-visitor antiforgery token.
/// </summary>
[EnableRateLimiting(RateLimitingExtensions.BookingWrites)]
public sealed class BookModel(BookingService bookings, TimeProvider clock) : SitePageModel
{
    [BindProperty(SupportsGet = true, Name = "tz")] public string? TimeZoneId { get; set; }
    [BindProperty(SupportsGet = true, Name = "from")] public string? From { get; set; }
    [BindProperty(Name = SlotPicker.FieldName)] public string? Start { get; set; }
    [BindProperty(Name = "name")] public string? ClientName { get; set; }
    [BindProperty(Name = "email")] public string? Email { get; set; }
    [BindProperty(Name = "company")] public string? Company { get; set; }
    [BindProperty(Name = "topic")] public string? Topic { get; set; }
    [BindProperty(Name = "notes")] public string? Notes { get; set; }

    public ExpertProfile Expert { get; private set; } = new();
    public string ProfileUrl { get; private set; } = "";
    public string PagePath => ProfileUrl + "/book";
    /// <summary>An expert without weekly windows takes no online bookings.</summary>
    public bool TakesBookings => Expert.Availability.Windows.Count > 0;

    public SlotPicker? Slots { get; private set; }
    public ErrorSummary Summary { get; private set; } = ErrorSummary.None;
    public IReadOnlyList<FormField> Fields { get; private set; } = [];

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

                await ShowAsync(expert, item.Url, FormErrors.None, selected: null, cancellationToken);
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
        var request = new BookingRequest(expert.Slug, SlotPicker.ParseStart(Start), ClientName, Email, Company, Topic, Notes, zone);
        var result = await bookings.BookAsync(request, AbsoluteUrl("/").TrimEnd('/'), idempotency: null, cancellationToken);
        switch (result)
        {
            case BookingResult.Created created:
                return new SeeOtherResult($"/bookings/manage/{created.ManageToken}?booked=1");
            case BookingResult.Invalid invalid:
                await ShowAsync(expert, item.Url, new FormErrors(invalid.Errors), Start, cancellationToken);
                return Page();
            case BookingResult.Taken taken:
                // The list is read again below, so the taken slot is gone from it; nothing stays selected.
                await ShowAsync(expert, item.Url, new FormErrors(new Dictionary<string, string[]> { ["start"] = [taken.Reason] }), null, cancellationToken);
                return Page();
            default:
                return NotFound();
        }
    }

    private async Task ShowAsync(BookableExpert expert, string? url, FormErrors errors, string? selected, CancellationToken cancellationToken)
    {
        Expert = expert.Profile;
        ProfileUrl = url ?? "/team/" + expert.Slug;

        var chosenZone = TimeZones.Find(TimeZoneId);
        var zone = chosenZone ?? expert.Zone;
        var availability = expert.Profile.Availability;
        var window = SlotWindow.Resolve(From, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), availability.HorizonDays);
        var free = TakesBookings ? await bookings.FreeSlotsAsync(expert, window.FromUtc, SlotWindow.Days, cancellationToken) : [];
        Slots = SlotPicker.Create("booking", "Free times", free, zone, chosenZone is not null, expert.Zone, window,
            availability.SlotMinutes, PagePath, selected, errors.For("start")) with { TimeZoneError = errors.For("timeZone") };

        Fields =
        [
            FormField.Required("name", "booking-name", "Your name", "your name", 100) with { Value = ClientName, Error = errors.For("name"), Autocomplete = "name" },
            FormField.Email("email", "booking-email", "E-mail address") with
            {
                Value = Email, Error = errors.For("email"), Hint = "We'll send the calendar invitation and a link to change the booking here.",
            },
            FormField.Optional("company", "booking-company", "Company", "company", 100) with { Value = Company, Error = errors.For("company"), Autocomplete = "organization" },
            FormField.Required("topic", "booking-topic", "Topic", "a topic", 150) with
            {
                Value = Topic, Error = errors.For("topic"), Hint = "One line about what you'd like to discuss, e.g. \"Our API is slow under load\".",
                Autocomplete = "off",
            },
            FormField.Optional("notes", "booking-notes", "Notes", "notes", 2000, FormFieldKind.TextArea) with
            {
                Value = Notes, Error = errors.For("notes"), Rows = 5,
                Hint = $"Anything that helps {expert.Profile.Name} prepare: context, links, questions. Up to 2000 characters.",
            },
        ];
        Summary = errors.Summary(
            ("timeZone", Slots.TimeZoneId), ("start", Slots.FocusId), ("name", "booking-name"), ("email", "booking-email"),
            ("company", "booking-company"), ("topic", "booking-topic"), ("notes", "booking-notes"));

        var title = $"Book a consultation with {expert.Profile.Name}";
        Describe(title,
            $"Choose a free time for a {availability.SlotMinutes}-minute consultation with {expert.Profile.Name}, {expert.Profile.Role}, and book it online. Times are shown in your own time zone.",
            PagePath);
        if (Summary.Any)
        {
            // Without script nothing moves focus to the summary; the title is the first thing read out.
            Meta.Title = "Error: " + Meta.Title;
        }
    }
}
