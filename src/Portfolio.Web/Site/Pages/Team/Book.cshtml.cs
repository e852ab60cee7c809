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
    /// <summary>The booking type's slug; empty for the expert's first.</summary>
    [BindProperty(SupportsGet = true, Name = "type")] public string? TypeSlug { get; set; }
    [BindProperty(Name = SlotPicker.FieldName)] public string? Start { get; set; }
    [BindProperty(Name = "name")] public string? ClientName { get; set; }
    [BindProperty(Name = "email")] public string? Email { get; set; }
    [BindProperty(Name = "company")] public string? Company { get; set; }
    [BindProperty(Name = "topic")] public string? Topic { get; set; }
    [BindProperty(Name = "notes")] public string? Notes { get; set; }

    public ExpertProfile Expert { get; private set; } = new();
    public IReadOnlyList<BookingType> Types { get; private set; } = [];
    public BookingType Type { get; private set; } = new();
    /// <summary>The type's questions as form fields, with what was posted and their errors.</summary>
    public IReadOnlyList<QuestionField> Questions { get; private set; } = [];
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

                if (expert.FindType(TypeSlug) is null)
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
        if (expert.FindType(TypeSlug) is not { } type)
        {
            return NotFound();
        }

        var request = new BookingRequest(expert.Slug, SlotPicker.ParseStart(Start), ClientName, Email, Company, Topic, Notes, zone,
            type.Slug, PostedAnswers(type));
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

    /// <summary>The answers as posted: <c>answers.{key}</c>; an unticked checkbox posts nothing.</summary>
    private Dictionary<string, string?> PostedAnswers(BookingType type) =>
        type.Questions.Where(question => Request.Form.ContainsKey(BookingAnswers.Field(question.Key)))
            .ToDictionary(question => question.Key, question => (string?)Request.Form[BookingAnswers.Field(question.Key)].ToString());

    /// <summary>The page of a type (the first has none in its address).</summary>
    public string TypeUrl(BookingType type) => type.Slug == Types[0].Slug ? PagePath : $"{PagePath}?type={Uri.EscapeDataString(type.Slug)}";

    private async Task ShowAsync(BookableExpert expert, string? url, FormErrors errors, string? selected, CancellationToken cancellationToken)
    {
        Expert = expert.Profile;
        ProfileUrl = url ?? "/team/" + expert.Slug;
        Types = expert.Types;
        Type = expert.FindType(TypeSlug) ?? Types[0];
        var posted = Request.HasFormContentType ? PostedAnswers(Type) : [];
        Questions = Type.Questions.Select(question => new QuestionField(question, "booking-q-" + question.Key,
            posted.GetValueOrDefault(question.Key), errors.For(BookingAnswers.Field(question.Key)))).ToList();

        var chosenZone = TimeZones.Find(TimeZoneId);
        var zone = chosenZone ?? expert.Zone;
        var availability = Type.Apply(expert.Profile.Availability);
        var window = SlotWindow.Resolve(From, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), availability.HorizonDays);
        var free = TakesBookings ? await bookings.FreeSlotsAsync(expert, window.FromUtc, SlotWindow.Days, cancellationToken, type: Type) : [];
        // The paging links and the zone form keep the type.
        var pagePath = Type.Slug == Types[0].Slug ? PagePath : TypeUrl(Type);
        Slots = SlotPicker.Create("booking", "Free times", free, zone, chosenZone is not null, expert.Zone, window,
            availability.SlotMinutes, pagePath, selected, errors.For("start")) with { TimeZoneError = errors.For("timeZone") };

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
        [
            ("timeZone", Slots.TimeZoneId), ("start", Slots.FocusId), ("name", "booking-name"), ("email", "booking-email"),
            ("company", "booking-company"), ("topic", "booking-topic"), ("notes", "booking-notes"),
            .. Questions.Select(question => (BookingAnswers.Field(question.Question.Key), (string?)question.FocusId)),
        ]);

        var title = Types.Count > 1 ? $"Book a {Type.Title.ToLowerInvariant()} with {expert.Profile.Name}" : $"Book a consultation with {expert.Profile.Name}";
        Describe(title,
            $"Choose a free time for a {availability.SlotMinutes}-minute consultation with {expert.Profile.Name}, {expert.Profile.Role}, and book it online. Times are shown in your own time zone.",
            Type.Slug == Types[0].Slug ? PagePath : TypeUrl(Type));
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
