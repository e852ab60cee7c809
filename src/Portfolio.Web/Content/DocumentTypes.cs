using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portfolio.Web.Content;

/// <summary>
/// A document type: the shape of one kind of content, stored as JSON in a <see cref="ContentVersion"/>.
/// Properties are <c>init</c> with defaults so that a document saved before a property existed still loads.
/// </summary>
public interface IDocument
{
    /// <summary>What editors and page titles call this document.</summary>
    [JsonIgnore]
    string DisplayName { get; }

    /// <summary>The page's meta description (search results, link previews).</summary>
    string MetaDescription { get; }
}

/// <summary>
/// Custom <see cref="DataTypeAttribute"/> names of document properties, so editors (the backoffice) know how a
/// string is meant: <c>[DataType(DocumentDataTypes.Markdown)]</c>. Media paths use <c>[DataType(DataType.ImageUrl)]</c>.
/// </summary>
public static class DocumentDataTypes
{
    public const string Markdown = "Markdown";

    /// <summary>An IANA time zone id, e.g. <c>Europe/London</c>.</summary>
    public const string TimeZone = "TimeZone";
}

/// <summary>An e-mail address, or nothing: editors may leave an address out.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionalEmailAttribute() : ValidationAttribute("Enter an e-mail address like name@example.com, or leave it empty.")
{
    public override bool IsValid(object? value) =>
        value is null || value is "" || (value is string text && TextInput.IsEmail(text));
}

// ---- Nested values shared by several document types -------------------------------------------------

/// <summary>A headline figure, e.g. "&lt;10ms" / "API response time target".</summary>
public sealed record Stat
{
    [Required, StringLength(20)] public string Value { get; init; } = "";
    [Required, StringLength(80)] public string Label { get; init; } = "";
}

/// <summary>A titled paragraph: a principle, a competency, a differentiator.</summary>
public sealed record Principle
{
    [Required, StringLength(120)] public string Title { get; init; } = "";
    [Required, StringLength(2000)] public string Text { get; init; } = "";
}

/// <summary>One numbered step of a process or methodology; the number is its position.</summary>
public sealed record ProcessStep
{
    [Required, StringLength(120)] public string Title { get; init; } = "";
    [Required, StringLength(2000)] public string Text { get; init; } = "";
}

public sealed record TrackRecordEntry
{
    [Required, StringLength(60)] public string Period { get; init; } = "";
    [Required, StringLength(120)] public string Organization { get; init; } = "";
    [Required, StringLength(120)] public string Role { get; init; } = "";
    public List<string> Contributions { get; init; } = [];
}

public sealed record FaqEntry
{
    [Required, StringLength(300)] public string Question { get; init; } = "";
    [Required, StringLength(4000)] public string Answer { get; init; } = "";
}

public sealed record EducationEntry
{
    [Required, StringLength(160)] public string Degree { get; init; } = "";
    [Required, StringLength(160)] public string Institution { get; init; } = "";
    [StringLength(60)] public string Period { get; init; } = "";
    [StringLength(2000)] public string Text { get; init; } = "";
}

/// <summary>A labelled link an editor sets (navigation, footer, social profiles): a path of this site or an https address.</summary>
public sealed record Link : IValidatableObject
{
    [Required, StringLength(80)] public string Label { get; init; } = "";
    [Required, StringLength(500)] public string Url { get; init; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url.Length > 0 && !BlockLinks.IsAllowed(Url))
        {
            yield return new ValidationResult("Use a path of this site (/privacy) or an https:// address.", [nameof(Url)]);
        }
    }
}

// ---- Document types ---------------------------------------------------------------------------------

/// <summary>Site-wide settings: name, navigation, footer, organisation data for JSON-LD.</summary>
[DocumentType("siteSettings", Singleton = true)]
public sealed record SiteSettings : IDocument
{
    [Display(GroupName = "Site")]
    [Required, StringLength(80)] public string SiteName { get; init; } = "";
    [StringLength(200)] public string Tagline { get; init; } = "";
    [StringLength(500)] public string OrganizationDescription { get; init; } = "";
    /// <summary>
    /// Public base URL for absolute links, e.g. https://technext.example.com. The setting Site:PublicUrl overrides it and
    /// is required outside Development and Testing; in those two, with neither set, the request's host is used.
    /// </summary>
    [StringLength(200)] public string BaseUrl { get; init; } = "";
    [OptionalEmail, StringLength(200)] public string ContactEmail { get; init; } = "";
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    [StringLength(500)] public string FooterNote { get; init; } = "";
    [Display(Name = "Social links", Description = "Profiles shown in the footer (https addresses).", GroupName = "Navigation and footer")]
    public List<Link> SocialLinks { get; init; } = [];
    [Display(Name = "Main navigation", Description = "The header's links and the footer's Explore column, in this order. Leave empty for Team, Services, Articles and Engineering.")]
    public List<Link> Navigation { get; init; } = [];
    [Display(Name = "Footer links", Description = "The footer's 'This site' column, in this order (e.g. Privacy notice → /privacy). Leave empty for the privacy notice and the engineering page.")]
    public List<Link> FooterLinks { get; init; } = [];
    [JsonIgnore] public string DisplayName => SiteName;

    /// <summary>The main navigation when the editor has set none.</summary>
    public static readonly IReadOnlyList<Link> DefaultNavigation =
    [
        new() { Label = "Team", Url = "/team" }, new() { Label = "Services", Url = "/services" },
        new() { Label = "Articles", Url = "/articles" }, new() { Label = "Engineering", Url = "/engineering" },
    ];

    /// <summary>The footer's own links when the editor has set none.</summary>
    public static readonly IReadOnlyList<Link> DefaultFooterLinks =
        [new() { Label = "Privacy notice", Url = "/privacy" }, new() { Label = "How it is built", Url = "/engineering" }];

    /// <summary>What the header shows: the editor's entries that are safe to link (older content was saved unchecked).</summary>
    public IReadOnlyList<Link> NavigationOrDefault() => Safe(Navigation.Count > 0 ? Navigation : DefaultNavigation);

    public IReadOnlyList<Link> FooterLinksOrDefault() => Safe(FooterLinks.Count > 0 ? FooterLinks : DefaultFooterLinks);

    private static List<Link> Safe(IReadOnlyList<Link> links) => [.. links.Where(link => link.Label.Length > 0 && BlockLinks.IsAllowed(link.Url))];
}

[DocumentType("homePage", Singleton = true)]
public sealed record HomePage : IDocument
{
    [Display(GroupName = "Page")]
    [Required, StringLength(120)] public string Title { get; init; } = "";
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    [Display(Description = "A short line above the heading.", GroupName = "Hero")]
    [StringLength(80)] public string HeroEyebrow { get; init; } = "";
    [Required, StringLength(160)] public string HeroHeading { get; init; } = "";
    [StringLength(1000)] public string HeroText { get; init; } = "";
    /// <summary>The band of figures under the hero: outcomes a visitor can check (from case studies and track records).</summary>
    [Display(GroupName = "Proof strip")]
    [StringLength(120)] public string ProofHeading { get; init; } = "";
    [Display(Name = "Proof figures", Description = "Outcomes a visitor can check, e.g. 75% · Lower response time.")]
    public List<Stat> Proof { get; init; } = [];
    [Display(GroupName = "Principles")]
    [StringLength(120)] public string PrinciplesHeading { get; init; } = "";
    public List<Principle> Principles { get; init; } = [];
    [Display(GroupName = "How we work")]
    [StringLength(120)] public string ProcessHeading { get; init; } = "";
    [StringLength(1000)] public string ProcessIntro { get; init; } = "";
    public List<ProcessStep> Process { get; init; } = [];
    [Display(GroupName = "Experts")]
    [StringLength(120)] public string ExpertsHeading { get; init; } = "";
    /// <summary>Slugs of the experts shown on the home page, in order; empty shows the whole roster.</summary>
    [Display(Name = "Featured experts", Description = "Slugs of the experts shown, in order (e.g. talha). Leave empty for the whole roster.")]
    public List<string> FeaturedExperts { get; init; } = [];
    [Display(Name = "Case study heading", GroupName = "Case study")]
    [StringLength(120)] public string CaseStudyHeading { get; init; } = "";
    [Display(Name = "Featured case study", Description = "Slug of the case study shown under the experts (e.g. logistics-api-latency). Leave empty to show the first published one.")]
    [StringLength(200)] public string FeaturedCaseStudy { get; init; } = "";
    [Display(GroupName = "Services and articles")]
    [StringLength(120)] public string ServicesHeading { get; init; } = "";
    [StringLength(1000)] public string ServicesIntro { get; init; } = "";
    [StringLength(120)] public string ArticlesHeading { get; init; } = "";
    [Display(GroupName = "Call to action")]
    [StringLength(160)] public string CallToActionHeading { get; init; } = "";
    [StringLength(1000)] public string CallToActionText { get; init; } = "";
    [JsonIgnore] public string DisplayName => Title;
}

/// <summary>The heading and introduction of a listing page: <c>team</c>, <c>services</c> or <c>articles</c>.</summary>
[DocumentType("listingPage")]
public sealed record ListingPage : IDocument
{
    [Required, StringLength(120)] public string Title { get; init; } = "";
    [StringLength(160)] public string Heading { get; init; } = "";
    [StringLength(1500)] public string Intro { get; init; } = "";
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    [JsonIgnore] public string DisplayName => Title;
}

/// <summary>An expert's public profile at <c>/team/{slug}</c>.</summary>
[DocumentType("expertProfile", RouteTemplate = "/team/{slug}")]
public sealed record ExpertProfile : IDocument, IValidatableObject
{
    [Display(GroupName = "Profile")]
    [Required, StringLength(120)] public string Name { get; init; } = "";
    [Display(Name = "Role or headline", Description = "Shown under the name, e.g. Senior Backend & Systems Architect.")]
    [Required, StringLength(160)] public string Role { get; init; } = "";
    [StringLength(120)] public string Company { get; init; } = "";
    /// <summary>The opening paragraph under the name.</summary>
    [Required, StringLength(1500)] public string Summary { get; init; } = "";
    [Display(Name = "Description for search engines", Description = "One or two sentences for search results and link previews.")]
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    [OptionalEmail, StringLength(200)] public string Email { get; init; } = "";
    /// <summary>A media path such as <c>/media/abc.jpg</c>; empty shows the initials.</summary>
    [Display(Name = "Photo")]
    [DataType(DataType.ImageUrl), StringLength(300)] public string PhotoUrl { get; init; } = "";
    [Display(Name = "Photo: alternative text", Description = "What the photo shows, for people who cannot see it.")]
    [StringLength(300)] public string PhotoAlt { get; init; } = "";
    [Display(Name = "Headline figures", Description = "Shown beside the summary, e.g. <10ms · Average query time.")]
    public List<Stat> Stats { get; init; } = [];
    [Display(Name = "Philosophy heading", Description = "Leave empty for \"How {name} works\".", GroupName = "Philosophy and principles")]
    [StringLength(160)] public string PhilosophyHeading { get; init; } = "";
    /// <summary>Markdown.</summary>
    [DataType(DocumentDataTypes.Markdown), StringLength(10000)] public string Philosophy { get; init; } = "";
    public List<Principle> Principles { get; init; } = [];
    [Display(Name = "Skills heading", Description = "Leave empty for \"What {name} brings\".", GroupName = "Skills")]
    [StringLength(160)] public string SkillsHeading { get; init; } = "";
    [StringLength(1500)] public string SkillsIntro { get; init; } = "";
    public List<string> Skills { get; init; } = [];
    [Display(Name = "Methodology heading", Description = "The name of the way of working, e.g. The Talha Framework. Leave empty for \"How an engagement runs\".", GroupName = "Methodology")]
    [StringLength(160)] public string MethodologyName { get; init; } = "";
    [StringLength(1500)] public string MethodologyIntro { get; init; } = "";
    public List<ProcessStep> Methodology { get; init; } = [];
    [Display(Name = "Track record heading", Description = "Leave empty for \"Where {name} has made a difference\".", GroupName = "Track record")]
    [StringLength(160)] public string TrackRecordHeading { get; init; } = "";
    [Display(Name = "Track record introduction")]
    [StringLength(1500)] public string TrackRecordIntro { get; init; } = "";
    public List<TrackRecordEntry> TrackRecord { get; init; } = [];
    [Display(Name = "Heading", Description = "Leave empty for \"What sets {name} apart\".", GroupName = "What sets them apart")]
    [StringLength(160)] public string DifferentiatorsHeading { get; init; } = "";
    [Display(Name = "Introduction")]
    [StringLength(1500)] public string DifferentiatorsIntro { get; init; } = "";
    [Display(Name = "Strengths")]
    public List<Principle> Differentiators { get; init; } = [];
    [Display(Name = "FAQ heading", Description = "Leave empty for \"Frequently asked about working with {name}\".", GroupName = "Questions and education")]
    [StringLength(160)] public string FaqHeading { get; init; } = "";
    [Display(Name = "FAQ")]
    public List<FaqEntry> Faq { get; init; } = [];
    public List<EducationEntry> Education { get; init; } = [];
    [Display(Name = "Booking heading", Description = "Leave empty for \"Book a consultation with {name}\".", GroupName = "Booking")]
    [StringLength(160)] public string BookingHeading { get; init; } = "";
    [Display(Name = "Booking text")]
    [StringLength(1500)] public string BookingText { get; init; } = "";
    [Display(Name = "Closing team block: heading", Description = "The block at the end of the profile that leads to the roster. Leave empty for \"Meet the full team\".")]
    [StringLength(160)] public string RosterHeading { get; init; } = "";
    [Display(Name = "Closing team block: text")]
    [StringLength(500)] public string RosterText { get; init; } = "";
    [Display(Name = "Closing team block: button label")]
    [StringLength(80)] public string RosterButtonLabel { get; init; } = "";
    /// <summary>When the expert can be booked; an expert without weekly windows offers no slots.</summary>
    [Display(Name = "Availability", Description = "Weekly hours, meeting length, notice and the place of meetings.", GroupName = "Availability and booking types")]
    public Availability Availability { get; init; } = new();
    /// <summary>
    /// The kinds of meeting a visitor can book (an intro call, a consultation, a review), the first one the default.
    /// Empty: one consultation with the availability's length, buffer, notice and daily limit (see <see cref="BookingTypes.Of"/>).
    /// </summary>
    [Display(Name = "Booking types", Description = "The kinds of meeting a visitor can book, the first one the default. Leave empty for one consultation with the availability's rules.")]
    public List<BookingType> BookingTypes { get; init; } = [];
    /// <summary>Slugs of the services this expert offers: a visitor booking a service may get any of its experts.</summary>
    [Display(Name = "Services offered", Description = "Slugs of the services this expert offers (e.g. backend-development): a visitor booking a service may get any of its experts.")]
    public List<string> Services { get; init; } = [];
    [JsonIgnore] public string DisplayName => Name;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var slugs = BookingTypes.Select(type => type.Slug).Where(slug => slug.Length > 0).ToList();
        if (slugs.Distinct(StringComparer.Ordinal).Count() != slugs.Count)
        {
            yield return new ValidationResult("Two booking types cannot share a slug.", [nameof(BookingTypes)]);
        }
    }
}

/// <summary>How a booking question is answered.</summary>
public enum BookingQuestionKind
{
    /// <summary>One line of text.</summary>
    ShortText,
    /// <summary>A paragraph (a textarea).</summary>
    LongText,
    /// <summary>One of <see cref="BookingQuestion.Options"/> (radio buttons).</summary>
    SingleChoice,
    /// <summary>Yes or no (a checkbox); a required one must be ticked (a consent).</summary>
    Checkbox,
}

/// <summary>A question a booking type asks the visitor; the answer is stored with the booking.</summary>
public sealed record BookingQuestion : IValidatableObject
{
    /// <summary>The answer's name in the API (<c>answers.{key}</c>) and the form; lower case, digits and dashes.</summary>
    [Required, StringLength(40), RegularExpression("^[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Use lower-case letters, digits and dashes, e.g. team-size.")]
    public string Key { get; init; } = "";
    [Required, StringLength(200)] public string Label { get; init; } = "";
    /// <summary>A hint under the label.</summary>
    [StringLength(300)] public string Help { get; init; } = "";
    public BookingQuestionKind Kind { get; init; } = BookingQuestionKind.ShortText;
    public bool Required { get; init; }
    /// <summary>The longest text answer, in characters.</summary>
    [Range(1, 2000)] public int MaxLength { get; init; } = 200;
    /// <summary>The choices of a single-choice question.</summary>
    public List<string> Options { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind == BookingQuestionKind.SingleChoice && Options.Count(option => option.Trim().Length > 0) < 2)
        {
            yield return new ValidationResult("A single-choice question needs at least two options.", [nameof(Options)]);
        }

        if (Options.Any(option => option.Length > 200))
        {
            yield return new ValidationResult("An option can be at most 200 characters.", [nameof(Options)]);
        }
    }
}

/// <summary>
/// A kind of meeting an expert offers, with its own length, buffer, minimum notice, daily limit and questions. Its times
/// come from the expert's <see cref="Availability"/> (time zone, windows, horizon, days off).
/// </summary>
public sealed record BookingType : IValidatableObject
{
    [Required, StringLength(60), RegularExpression("^[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Use lower-case letters, digits and dashes, e.g. intro-call.")]
    public string Slug { get; init; } = "";
    [Required, StringLength(120)] public string Title { get; init; } = "";
    [StringLength(1000)] public string Description { get; init; } = "";
    /// <summary>How long the meeting lasts.</summary>
    [Range(15, 240)] public int Minutes { get; init; } = 45;
    /// <summary>Free time kept between this meeting and any other.</summary>
    [Range(0, 120)] public int BufferMinutes { get; init; } = 15;
    /// <summary>How far ahead it must be booked.</summary>
    [Range(0, 720)] public int MinimumNoticeHours { get; init; } = 24;
    /// <summary>
    /// The most meetings of any type on one day for which this type can still be booked: a day that already holds this
    /// many meetings (of any type) refuses a new one of this type.
    /// </summary>
    [Range(1, 24)] public int MaxPerDay { get; init; } = 4;
    /// <summary>Where this kind of meeting takes place; "none" (the default) means the expert's place.</summary>
    public MeetingLocation Location { get; init; } = new();
    public List<BookingQuestion> Questions { get; init; } = [];

    /// <summary>The place a booking of this type gets: the type's own, else the expert's.</summary>
    public MeetingLocation PlaceOr(MeetingLocation expertPlace) => Location.Kind == MeetingLocationKind.None ? expertPlace : Location;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var keys = Questions.Select(question => question.Key).Where(key => key.Length > 0).ToList();
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            yield return new ValidationResult("Two questions of a booking type cannot share a key.", [nameof(Questions)]);
        }
    }

    /// <summary>The availability with this type's length, buffer, notice and daily limit: what the slot calculator needs.</summary>
    public Availability Apply(Availability availability) => availability with
    {
        SlotMinutes = Minutes, BufferMinutes = BufferMinutes, MinimumNoticeHours = MinimumNoticeHours, MaxPerDay = MaxPerDay,
    };
}

/// <summary>An expert's booking types as the booking pages and the API see them.</summary>
public static class BookingTypes
{
    /// <summary>The slug of the one type of an expert without booking types.</summary>
    public const string DefaultSlug = "consultation";

    /// <summary>
    /// The expert's booking types, the default first: a consultation with the availability's length, buffer, notice and
    /// daily limit (what the availability page edits), then the types the profile lists. A profile that lists a type with
    /// the consultation's slug itself gets exactly its list. A profile without any (every profile stored before types
    /// existed) has the consultation only.
    /// </summary>
    public static IReadOnlyList<BookingType> Of(ExpertProfile profile) =>
        // The availability page's slot rules stay the consultation's unless the editor lists a consultation type itself.
        profile.BookingTypes.Any(type => type.Slug == DefaultSlug)
            ? profile.BookingTypes
            :
            [
                new BookingType
                {
                    Slug = DefaultSlug,
                    Title = "Consultation",
                    Minutes = profile.Availability.SlotMinutes,
                    BufferMinutes = profile.Availability.BufferMinutes,
                    MinimumNoticeHours = profile.Availability.MinimumNoticeHours,
                    MaxPerDay = profile.Availability.MaxPerDay,
                },
                .. profile.BookingTypes,
            ];

    /// <summary>
    /// What a booking of this type is called in mails and calendars ("Intro call"); "Consultation" when the type is
    /// unknown (removed since, or a booking from before types existed).
    /// </summary>
    public static string TitleOf(ExpertProfile profile, string? slug) => Find(profile, slug)?.Title ?? "Consultation";

    /// <summary>The type with this slug; the default for an empty slug; null for an unknown one.</summary>
    public static BookingType? Find(ExpertProfile profile, string? slug)
    {
        var types = Of(profile);
        return string.IsNullOrEmpty(slug) ? types[0] : types.FirstOrDefault(type => type.Slug == slug);
    }
}

/// <summary>A weekly window in the expert's own time zone, e.g. Monday 09:00–12:30.</summary>
public sealed record WeeklyWindow
{
    public DayOfWeek Day { get; init; } = DayOfWeek.Monday;
    [Required, RegularExpression("^([01][0-9]|2[0-3]):[0-5][0-9]$", ErrorMessage = "Use 24-hour time, e.g. 09:30.")]
    public string Start { get; init; } = "09:00";
    [Required, RegularExpression("^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$", ErrorMessage = "Use 24-hour time, e.g. 17:00.")]
    public string End { get; init; } = "17:00";
}

/// <summary>What an <see cref="AvailabilityOverride"/> does on its dates.</summary>
public enum OverrideKind
{
    /// <summary>No meetings at all on these days (a holiday).</summary>
    Off,
    /// <summary>No meetings between Start and End on these days (the dentist), whatever the weekly windows say.</summary>
    Block,
    /// <summary>Bookable between Start and End on these days as well as in the weekly windows (one-off hours).</summary>
    Extra,
}

/// <summary>
/// A change to the weekly windows on the dates From to To (inclusive) in the expert's time zone. Start and End
/// (24-hour, End may be 24:00) apply to <see cref="OverrideKind.Block"/> and <see cref="OverrideKind.Extra"/> on each of
/// those days; an <see cref="OverrideKind.Off"/> override has none.
/// </summary>
public sealed record AvailabilityOverride
{
    /// <summary>The longest range one override may cover, so that a typo (2062 for 2026) cannot make a day loop run for ages.</summary>
    public const int MaxDays = 366;

    public OverrideKind Kind { get; init; } = OverrideKind.Off;
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    [StringLength(5)] public string Start { get; init; } = "";
    [StringLength(5)] public string End { get; init; } = "";
    [StringLength(200)] public string Note { get; init; } = "";

    public bool Covers(DateOnly day) => From <= day && day <= To;

    /// <summary>What is wrong with this override, by property name; nothing when it is sound.</summary>
    public IEnumerable<(string Member, string Message)> Problems()
    {
        if (To < From)
        {
            yield return (nameof(To), "The last day must not be before the first.");
        }
        else if (To.DayNumber - From.DayNumber >= MaxDays)
        {
            yield return (nameof(To), $"One override covers at most {MaxDays} days.");
        }

        if (Kind == OverrideKind.Off)
        {
            yield break;
        }

        var start = ParseTime(Start, allowMidnightEnd: false);
        var end = ParseTime(End, allowMidnightEnd: true);
        if (start is null)
        {
            yield return (nameof(Start), "Use 24-hour time, e.g. 14:00.");
        }

        if (end is null)
        {
            yield return (nameof(End), "Use 24-hour time, e.g. 15:30 (24:00 for midnight).");
        }

        if (start is not null && end is not null && start >= end)
        {
            yield return (nameof(End), "The hours must end after they start.");
        }
    }

    /// <summary>Minutes since midnight of an "HH:mm" time (24:00 as 1440 where allowed), or null.</summary>
    internal static int? ParseTime(string value, bool allowMidnightEnd)
    {
        if (allowMidnightEnd && value == "24:00")
        {
            return 24 * 60;
        }

        return value.Length == 5 && TimeOnly.TryParseExact(value, "HH:mm", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var time)
            ? time.Hour * 60 + time.Minute
            : null;
    }
}

/// <summary>An expert's bookable time, defined in the expert's IANA time zone.</summary>
public sealed record Availability : IValidatableObject, IJsonOnDeserialized
{
    /// <summary>IANA time zone, e.g. <c>Europe/London</c>.</summary>
    [Display(Name = "Time zone", Description = "The expert's own zone: weekly hours are in it.")]
    [Required, DataType(DocumentDataTypes.TimeZone), StringLength(64)] public string TimeZone { get; init; } = "UTC";
    [Display(Name = "Weekly hours", Description = "When the expert can meet, per weekday.")]
    public List<WeeklyWindow> Windows { get; init; } = [];
    [Display(Name = "Meeting length (minutes)")]
    [Range(15, 240)] public int SlotMinutes { get; init; } = 45;
    /// <summary>Free time kept between two meetings.</summary>
    [Display(Name = "Free time between meetings (minutes)")]
    [Range(0, 120)] public int BufferMinutes { get; init; } = 15;
    /// <summary>How far ahead a booking must be made.</summary>
    [Display(Name = "Minimum notice (hours)", Description = "How far ahead a booking must be made.")]
    [Range(0, 720)] public int MinimumNoticeHours { get; init; } = 24;
    /// <summary>How far ahead slots are offered.</summary>
    [Display(Name = "Bookable days ahead", Description = "How far ahead times are offered.")]
    [Range(1, 365)] public int HorizonDays { get; init; } = 30;
    [Display(Name = "Most meetings a day")]
    [Range(1, 24)] public int MaxPerDay { get; init; } = 4;
    /// <summary>Where the expert's consultations take place; <see cref="MeetingLocationKind.None"/> says nothing.</summary>
    [Display(Name = "Meeting place")]
    public MeetingLocation Location { get; init; } = new();
    /// <summary>Dates (in the expert's time zone) that differ from the weekly windows: days off, blocked hours, extra hours.</summary>
    [Display(Name = "Date overrides", Description = "Days off, blocked hours and extra hours on given dates (the availability calendar edits these too).")]
    public List<AvailabilityOverride> Overrides { get; init; } = [];

    /// <summary>The most overrides an expert keeps; past ones can be removed.</summary>
    public const int MaxOverrides = 200;

    /// <summary>
    /// Documents saved before <see cref="Overrides"/> existed held a plain list of days off (<c>"daysOff"</c>). Their JSON
    /// stays readable: each such day becomes an <see cref="OverrideKind.Off"/> override when the document is read
    /// (<c>OnDeserialized</c>), and the list is never written again, so the next save stores the new shape.
    /// Private, so the content editor does not offer it.
    /// </summary>
    [JsonInclude, JsonPropertyName("daysOff"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private List<DateOnly>? LegacyDaysOff
    {
        get => null;
        init => _legacyDaysOff = value;
    }

    private List<DateOnly>? _legacyDaysOff;

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (_legacyDaysOff is { Count: > 0 } days)
        {
            // Overrides may have been read before or after "daysOff": merging here, after both, keeps either order.
            Overrides.AddRange(days.Where(day => !Overrides.Any(o => o.Kind == OverrideKind.Off && o.From <= day && day <= o.To))
                .Select(day => new AvailabilityOverride { Kind = OverrideKind.Off, From = day, To = day }));
        }

        _legacyDaysOff = null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZones.IsIana(TimeZone))
        {
            yield return new ValidationResult($"'{TimeZone}' is not an IANA time zone. {TimeZones.Hint}", [nameof(TimeZone)]);
        }

        for (var i = 0; i < Windows.Count; i++)
        {
            if (string.CompareOrdinal(Windows[i].Start, Windows[i].End) >= 0)
            {
                yield return new ValidationResult("A window must end after it starts.", [$"{nameof(Windows)}[{i}].{nameof(WeeklyWindow.End)}"]);
            }
        }

        if (Overrides.Count > MaxOverrides)
        {
            yield return new ValidationResult($"Keep at most {MaxOverrides} overrides; remove past ones.", [nameof(Overrides)]);
        }

        for (var i = 0; i < Overrides.Count; i++)
        {
            foreach (var (member, message) in Overrides[i].Problems())
            {
                yield return new ValidationResult(message, [$"{nameof(Overrides)}[{i}].{member}"]);
            }
        }
    }
}

/// <summary>How a consultation is held: what <see cref="MeetingLocation.Value"/> means.</summary>
public enum MeetingLocationKind
{
    /// <summary>No place given (the expert writes to the client).</summary>
    None = 0,
    /// <summary>The same video room every time: <see cref="MeetingLocation.Value"/> is its URL.</summary>
    VideoRoom = 1,
    /// <summary>
    /// A video room of its own for every booking: <see cref="MeetingLocation.Value"/> is a URL template with
    /// <see cref="MeetingLocation.RandomPlaceholder"/> (and optionally <see cref="MeetingLocation.ExpertPlaceholder"/>);
    /// a booking stores the link made from it.
    /// </summary>
    VideoRoomPerBooking = 2,
    /// <summary>A phone number to call.</summary>
    Phone = 3,
    /// <summary>A postal address to meet at.</summary>
    Address = 4,
}

/// <summary>
/// Where consultations take place: an expert's default (<see cref="Availability.Location"/>). A small value of its own so
/// that other things can carry an override of the same type later (a booking type's own place, say) and resolve it with
/// <c>MeetingPlaces.Resolve</c>.
/// </summary>
public sealed record MeetingLocation : IValidatableObject
{
    /// <summary>Stands for the random part of a <see cref="MeetingLocationKind.VideoRoomPerBooking"/> link.</summary>
    public const string RandomPlaceholder = "{random}";

    /// <summary>Stands for the expert's slug in a <see cref="MeetingLocationKind.VideoRoomPerBooking"/> link.</summary>
    public const string ExpertPlaceholder = "{expert}";

    public MeetingLocationKind Kind { get; init; }

    /// <summary>The room's URL, the link template, the phone number or the address, by <see cref="Kind"/>.</summary>
    [StringLength(300)] public string Value { get; init; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var value = Value.Trim();
        string[] member = [nameof(Value)];
        switch (Kind)
        {
            case MeetingLocationKind.None:
                break;
            case MeetingLocationKind.VideoRoom:
                if (!IsWebAddress(value))
                {
                    yield return new ValidationResult("Enter the room's full address, starting with https:// (or http://).", member);
                }

                break;
            case MeetingLocationKind.VideoRoomPerBooking:
                if (!value.Contains(RandomPlaceholder, StringComparison.Ordinal))
                {
                    yield return new ValidationResult($"Put {RandomPlaceholder} where each booking's own part of the link goes, e.g. https://meet.example/{ExpertPlaceholder}-{RandomPlaceholder}.", member);
                }
                else if (!IsWebAddress(value.Replace(RandomPlaceholder, "abc", StringComparison.Ordinal).Replace(ExpertPlaceholder, "expert", StringComparison.Ordinal))
                         || value.Replace(RandomPlaceholder, "", StringComparison.Ordinal).Replace(ExpertPlaceholder, "", StringComparison.Ordinal).IndexOfAny(['{', '}']) >= 0)
                {
                    yield return new ValidationResult($"Enter a full address starting with https:// (or http://); only {RandomPlaceholder} and {ExpertPlaceholder} may stand in braces.", member);
                }

                break;
            case MeetingLocationKind.Phone:
                if (!IsPhoneNumber(value))
                {
                    yield return new ValidationResult("Enter a phone number of digits, spaces and + ( ) - /, e.g. +44 20 7946 0000.", member);
                }

                break;
            case MeetingLocationKind.Address:
                if (value.Length == 0)
                {
                    yield return new ValidationResult("Enter the address to meet at.", member);
                }

                break;
            default:
                yield return new ValidationResult("Choose how the consultation is held.", [nameof(Kind)]);
                break;
        }
    }

    /// <summary>An absolute http(s) URL with a host, and nothing a mail or a calendar line could be broken by.</summary>
    public static bool IsWebAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0
        && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    private static bool IsPhoneNumber(string value) =>
        value.Count(char.IsAsciiDigit) is >= 5 and <= 20 && value.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '(' or ')' or '-' or '/' or '.');
}

[DocumentType("service", RouteTemplate = "/services/{slug}")]
public sealed record Service : IDocument
{
    [Required, StringLength(120)] public string Title { get; init; } = "";
    [Required, StringLength(500)] public string Summary { get; init; } = "";
    /// <summary>Markdown.</summary>
    [DataType(DocumentDataTypes.Markdown), StringLength(20000)] public string Body { get; init; } = "";
    public List<string> Highlights { get; init; } = [];
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    [JsonIgnore] public string DisplayName => Title;
}

[DocumentType("article", RouteTemplate = "/articles/{slug}")]
public sealed record Article : IDocument
{
    [Required, StringLength(160)] public string Title { get; init; } = "";
    [Required, StringLength(500)] public string Summary { get; init; } = "";
    /// <summary>Markdown; raw HTML is not allowed.</summary>
    [Required, DataType(DocumentDataTypes.Markdown), StringLength(100000)] public string Body { get; init; } = "";
    /// <summary>Slug of the expert who wrote it.</summary>
    [StringLength(200)] public string AuthorSlug { get; init; } = "";
    public DateOnly PublishedOn { get; init; }
    public List<string> Tags { get; init; } = [];
    /// <summary>A library image shown above the article (a wide crop) and in link previews; empty for none.</summary>
    [DataType(DataType.ImageUrl), StringLength(300)] public string ImageUrl { get; init; } = "";
    /// <summary>The image's alt text here; empty uses the library's.</summary>
    [StringLength(300)] public string ImageAlt { get; init; } = "";
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    [JsonIgnore] public string DisplayName => Title;
}

/// <summary>One stage of the request lifecycle walk-through.</summary>
public sealed record LifecycleStage
{
    [Required, StringLength(80)] public string Name { get; init; } = "";
    /// <summary>The layer it belongs to, e.g. "Edge", "Gateway", "Application", "Data".</summary>
    [StringLength(60)] public string Layer { get; init; } = "";
    [Required, StringLength(1500)] public string Text { get; init; } = "";
}

public sealed record SchemaColumn
{
    [Required, StringLength(80)] public string Name { get; init; } = "";
    [Required, StringLength(60)] public string Type { get; init; } = "";
    /// <summary>"PK", "FK", "UQ" or empty.</summary>
    [StringLength(10)] public string Key { get; init; } = "";
    /// <summary>For a foreign key: the referenced table, e.g. "tenants".</summary>
    [StringLength(80)] public string References { get; init; } = "";
    [StringLength(500)] public string Description { get; init; } = "";
}

public sealed record SchemaTable
{
    [Required, StringLength(80)] public string Name { get; init; } = "";
    [StringLength(500)] public string Description { get; init; } = "";
    public List<SchemaColumn> Columns { get; init; } = [];
}

/// <summary>A kind of job in the event-queue simulation.</summary>
public sealed record QueueJobType
{
    [Required, StringLength(80)] public string Name { get; init; } = "";
    [StringLength(500)] public string Description { get; init; } = "";
    /// <summary>How long a worker takes, in simulated milliseconds.</summary>
    [Range(100, 60000)] public int DurationMs { get; init; } = 1500;
    /// <summary>Chance (0–100) that an attempt fails, to show retries and the dead-letter queue.</summary>
    [Range(0, 100)] public int FailurePercent { get; init; }
}

[DocumentType("engineeringPage", Singleton = true)]
public sealed record EngineeringPage : IDocument
{
    [Required, StringLength(120)] public string Title { get; init; } = "";
    [StringLength(1500)] public string Intro { get; init; } = "";
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    [StringLength(160)] public string LifecycleHeading { get; init; } = "";
    [StringLength(1500)] public string LifecycleIntro { get; init; } = "";
    public List<LifecycleStage> Stages { get; init; } = [];
    [StringLength(160)] public string SchemaHeading { get; init; } = "";
    [StringLength(1500)] public string SchemaIntro { get; init; } = "";
    public List<SchemaTable> Tables { get; init; } = [];
    [StringLength(160)] public string CompetenciesHeading { get; init; } = "";
    public List<Principle> Competencies { get; init; } = [];
    [StringLength(160)] public string QueueHeading { get; init; } = "";
    [StringLength(1500)] public string QueueIntro { get; init; } = "";
    public List<QueueJobType> JobTypes { get; init; } = [];
    [Range(1, 8)] public int QueueWorkers { get; init; } = 2;
    [Range(1, 10)] public int QueueMaxAttempts { get; init; } = 3;
    [JsonIgnore] public string DisplayName => Title;
}

[DocumentType("contactPage", Singleton = true)]
public sealed record ContactPage : IDocument
{
    [Required, StringLength(120)] public string Title { get; init; } = "";
    [StringLength(160)] public string Heading { get; init; } = "";
    [StringLength(1500)] public string Intro { get; init; } = "";
    [StringLength(300)] public string MetaDescription { get; init; } = "";
    [StringLength(160)] public string DirectEmailHeading { get; init; } = "";
    [OptionalEmail, StringLength(200)] public string DirectEmail { get; init; } = "";
    [StringLength(1000)] public string DirectEmailText { get; init; } = "";
    [StringLength(500)] public string ResponseNote { get; init; } = "";
    [JsonIgnore] public string DisplayName => Title;
}
