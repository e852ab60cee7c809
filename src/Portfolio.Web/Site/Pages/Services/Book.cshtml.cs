using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Site.Pages.Bookings;
using Portfolio.Web.Site.Pages.Shared;

namespace Portfolio.Web.Site.Pages.Services;

/// <summary>
/// <c>/services/{slug}/book</c>: a service booked with any available expert, through the same month calendar as an
/// expert's page. The calendar shows the union of the free times of the experts who offer the service (the slots API's
/// <c>/services/{slug}/slots</c>); the post books the service, and the first expert free at that time in round-robin
/// order gets it (<see cref="BookingService.BookAsync"/>). Works without script; not output-cached (antiforgery).
/// </summary>
[EnableRateLimiting(RateLimitingExtensions.BookingWrites)]
public sealed class BookModel(BookingService bookings, TimeProvider clock) : SitePageModel
{
    [BindProperty(SupportsGet = true, Name = "tz")] public string? TimeZoneId { get; set; }
    [BindProperty(SupportsGet = true, Name = "month")] public string? Month { get; set; }
    [BindProperty(SupportsGet = true, Name = "day")] public string? Day { get; set; }
    /// <summary>The booking type's slug (experts share slugs such as <c>intro-call</c>); empty: each expert's default.</summary>
    [BindProperty(SupportsGet = true, Name = "type")] public string? TypeSlug { get; set; }
    [BindProperty(SupportsGet = true, Name = SlotPicker.FieldName)] public string? Start { get; set; }
    [BindProperty(Name = "name")] public string? ClientName { get; set; }
    [BindProperty(Name = "email")] public string? Email { get; set; }
    [BindProperty(Name = "company")] public string? Company { get; set; }
    [BindProperty(Name = "topic")] public string? Topic { get; set; }
    [BindProperty(Name = "notes")] public string? Notes { get; set; }

    public Service Service { get; private set; } = new();
    public string ServiceUrl { get; private set; } = "";
    public string PagePath => ServiceUrl + "/book";
    /// <summary>The experts who offer the service and take bookings (of the chosen type).</summary>
    public IReadOnlyList<BookableExpert> Experts { get; private set; } = [];
    /// <summary>The kinds of meeting the experts offer, by slug, each with the title and length of its first expert's.</summary>
    public IReadOnlyList<BookingType> Types { get; private set; } = [];
    /// <summary>The chosen type's slug, or empty for each expert's default.</summary>
    public string TypeKey { get; private set; } = "";
    /// <summary>"45 minutes", or "30–45 minutes" when the experts' lengths differ.</summary>
    public string Length { get; private set; } = "";
    public BookingCalendar? Calendar { get; private set; }
    public BookingDetailsStep? Details { get; private set; }
    public ErrorSummary Summary { get; private set; } = ErrorSummary.None;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (await FindAsync(slug, cancellationToken) is not { } service)
        {
            return NotFound();
        }

        await ShowAsync(service, FormErrors.None, posted: false, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken cancellationToken)
    {
        if (await FindAsync(slug, cancellationToken) is not { } service)
        {
            return NotFound();
        }

        var zone = TimeZones.Find(TimeZoneId)?.Id ?? "";
        var answers = FirstType(service) is { } type ? BookingPageParts.PostedAnswers(type, Request) : [];
        var request = new BookingRequest(null, SlotPicker.ParseStart(Start), ClientName, Email, Company, Topic, Notes, zone,
            TypeSlug, answers, Service: service.Slug);
        switch (await bookings.BookAsync(request, AbsoluteUrl("/").TrimEnd('/'), idempotency: null, cancellationToken))
        {
            case BookingResult.Created created:
                return new SeeOtherResult($"/bookings/manage/{created.ManageToken}?booked=1");
            case BookingResult.Invalid invalid:
                await ShowAsync(service, new FormErrors(invalid.Errors), posted: true, cancellationToken);
                return Page();
            case BookingResult.Taken taken:
                await ShowAsync(service, new FormErrors(new Dictionary<string, string[]> { ["start"] = [taken.Reason] }), posted: true, cancellationToken);
                return Page();
            default:
                return NotFound();
        }
    }

    /// <summary>The address of a type's calendar (the default has none).</summary>
    public string TypeUrl(BookingType type) => type.Slug == Types[0].Slug ? PagePath : $"{PagePath}?type={Uri.EscapeDataString(type.Slug)}";

    /// <summary>The published service with at least one expert taking bookings of the type asked for; else null (404).</summary>
    private async Task<BookableService?> FindAsync(string slug, CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        if (SlugLookup.Resolve<Service>(Published, slug) is not SlugLookup.Found { Item: var item } ||
            await bookings.FindServiceAsync(item.Slug, cancellationToken) is not { } service)
        {
            return null;
        }

        ServiceUrl = item.Url ?? "/services/" + item.Slug;
        var typeSlug = TypeSlug?.Trim() ?? "";
        return service.Experts.Any(expert => expert.FindType(typeSlug) is not null) ? service : null;
    }

    /// <summary>The chosen type as its first expert defines it: the questions asked (an expert's own are checked again when booking).</summary>
    private BookingType? FirstType(BookableService service) =>
        service.Experts.Select(expert => expert.FindType(TypeSlug)).OfType<BookingType>().FirstOrDefault();

    private async Task ShowAsync(BookableService service, FormErrors errors, bool posted, CancellationToken cancellationToken)
    {
        Service = service.Document;
        TypeKey = TypeSlug?.Trim() ?? "";
        var offering = service.Experts.Select(expert => (Expert: expert, Type: expert.FindType(TypeKey))).Where(pair => pair.Type is not null).ToList();
        Experts = offering.Select(pair => pair.Expert).ToList();
        // The experts' types by slug; the defaults first (each expert's first), in the order the first expert lists them.
        Types = service.Experts.SelectMany(expert => expert.Types).DistinctBy(type => type.Slug, StringComparer.Ordinal).ToList();
        var type = offering[0].Type!;
        var lengths = offering.Select(pair => pair.Type!.Minutes).Distinct().Order().ToList();
        Length = lengths.Count == 1 ? $"{lengths[0]} minutes" : $"{lengths[0]}–{lengths[^1]} minutes";

        var first = offering[0].Expert;
        var chosenZone = TimeZones.Find(TimeZoneId);
        var zone = chosenZone ?? first.Zone;
        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = offering.Max(pair => pair.Type!.Apply(pair.Expert.Profile.Availability).HorizonDays);
        var kept = new Dictionary<string, string?> { ["type"] = TypeKey.Length == 0 ? null : TypeKey };
        var typeKey = TypeKey;
        Calendar = await BookingCalendar.CreateAsync("booking", new CalendarQuery(Month, Day, Start), zone, chosenZone is not null, first.Zone,
            now, horizon, lengths[0], PagePath, kept,
            (fromUtc, days) => bookings.FreeSlotsAsync(service, typeKey, fromUtc, days, cancellationToken));

        var startError = errors.For("start");
        if (Calendar.Chosen is not null || posted)
        {
            SlotPicker? alternatives = null;
            if (startError is not null || Calendar.Chosen is null)
            {
                var window = SlotWindow.Resolve(BookingPageParts.AlternativesFrom(Start), DateOnly.FromDateTime(now), horizon);
                var free = await bookings.FreeSlotsAsync(service, TypeKey, window.FromUtc, SlotWindow.Days, cancellationToken);
                alternatives = BookingPageParts.Alternatives(free, zone, first.Zone, window, lengths[0], PagePath,
                    startError ?? Calendar.TimeError ?? "Choose a time.");
            }

            Details = new BookingDetailsStep
            {
                Action = PagePath,
                Hidden = new Dictionary<string, string?> { ["tz"] = zone.Id, ["type"] = TypeKey.Length == 0 ? null : TypeKey },
                Start = Calendar.Chosen is { } chosen ? SlotPicker.Iso(chosen.StartUtc) : null,
                ChosenText = Calendar.ChosenText,
                ZoneText = TimeZones.Describe(zone, now),
                ChangeUrl = Calendar.ChangeUrl,
                Alternatives = alternatives,
                Fields = BookingPageParts.Fields(errors, ClientName, Email, Company, Topic, Notes, "our expert"),
                Questions = BookingPageParts.Questions(type, Request, errors),
                ButtonText = "Book " + service.Document.Title,
                Privacy = "We use your details only to arrange this meeting.",
            };
            Summary = errors.Summary(
            [
                ("timeZone", "booking-form"), ("start", alternatives?.FocusId), ("name", "booking-name"), ("email", "booking-email"),
                ("company", "booking-company"), ("topic", "booking-topic"), ("notes", "booking-notes"),
                .. Details.Questions.Select(question => (BookingAnswers.Field(question.Question.Key), (string?)question.FocusId)),
            ]);
        }

        Describe($"Book {service.Document.Title}",
            $"Book {service.Document.Title} with the first of our experts who is free at the time you choose. Times are shown in your own time zone.",
            TypeKey.Length == 0 ? PagePath : $"{PagePath}?type={Uri.EscapeDataString(TypeKey)}");
        if (Summary.Any)
        {
            Meta.Title = "Error: " + Meta.Title;
        }
    }
}
