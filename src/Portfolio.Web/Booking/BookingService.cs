using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portfolio.Web.Content;
using Portfolio.Web.Email;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Webhooks;

namespace Portfolio.Web.Booking;

/// <summary>The <c>Booking</c> configuration section.</summary>
public sealed class BookingOptions
{
    public const string SectionName = "Booking";

    /// <summary>A client may cancel or reschedule until this long before the meeting.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan ChangeMinimumNotice { get; set; } = TimeSpan.FromHours(24);

    /// <summary>E-mail reminders before a meeting, to the client and the expert.</summary>
    [ValidateObjectMembers]
    public ReminderOptions Reminders { get; set; } = new();
}

[OptionsValidator]
public sealed partial class BookingOptionsValidator : IValidateOptions<BookingOptions>;

/// <summary>What a client asks for (from the API or the booking form), before cleaning and validation.</summary>
/// <remarks>
/// <paramref name="BookingType"/>: the slug of one of the expert's booking types, empty for the first. <paramref name="Service"/>
/// instead of an expert: any expert who offers that service and is free then (<see cref="BookingService.BookAsync"/>).
/// </remarks>
public sealed record BookingRequest(
    string? Expert, DateTime? Start, string? Name, string? Email, string? Company, string? Topic, string? Notes, string? TimeZone,
    string? BookingType = null, IReadOnlyDictionary<string, string?>? Answers = null, string? Service = null);

/// <summary>What a client gets back for a new booking (the API's 201 body).</summary>
/// <param name="Id">The booking's id.</param>
/// <param name="Start">Start, UTC.</param>
/// <param name="End">End, UTC.</param>
/// <param name="ManageUrl">The client's link to cancel or move the booking.</param>
/// <param name="Location">Where the meeting takes place; null when the expert gives no place.</param>
public sealed record BookingConfirmation(Guid Id, DateTime Start, DateTime End, string ManageUrl, BookingLocation? Location = null);

/// <summary>An <c>Idempotency-Key</c> and the fingerprint of the request body it came with.</summary>
public sealed record IdempotencyClaim(string Key, string Fingerprint)
{
    public const string BookingsScope = "bookings";
}

/// <summary>The outcome of a booking attempt.</summary>
public abstract record BookingResult
{
    public sealed record Created(ConsultationBooking Booking, string ManageToken, BookingConfirmation Confirmation) : BookingResult;

    /// <summary>A booking moved to another slot; it keeps its id and manage link.</summary>
    public sealed record Moved(ConsultationBooking Booking, BookingConfirmation Confirmation) : BookingResult;

    public sealed record Cancelled(ConsultationBooking Booking) : BookingResult;

    /// <summary>The client was sent a fresh manage link to choose a new time; the booking has not moved.</summary>
    public sealed record NewTimeRequested(ConsultationBooking Booking) : BookingResult;

    /// <summary>Someone else changed the booking between reading and saving it (the other tab, the owner); nothing was saved.</summary>
    public sealed record Changed : BookingResult;

    /// <summary>Bad input, including a start that is not a slot the expert offers (400).</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : BookingResult;

    /// <summary>The slot is offered but someone else has it, or the expert's day is full (409).</summary>
    public sealed record Taken(string Reason) : BookingResult
    {
        /// <summary>The API problem's title: what kind of "taken" it is.</summary>
        public string Title { get; init; } = "That slot is taken.";
    }

    public sealed record ExpertNotFound : BookingResult;
}

/// <summary>An expert with published availability, as bookings need it.</summary>
public sealed record BookableExpert(Guid Key, string Slug, ExpertProfile Profile)
{
    public TimeZoneInfo Zone => TimeZones.Get(Profile.Availability.TimeZone);

    /// <summary>The expert's booking types, the default first (<see cref="Content.BookingTypes.Of"/>).</summary>
    public IReadOnlyList<BookingType> Types => Content.BookingTypes.Of(Profile);

    /// <summary>The booking type with this slug (empty: the default), or null.</summary>
    public BookingType? FindType(string? slug) => Content.BookingTypes.Find(Profile, slug);

    /// <summary>The type a stored booking was made as; the default for one made before types existed or whose type is gone.</summary>
    public BookingType TypeOf(ConsultationBooking booking) => FindType(booking.BookingType) ?? Types[0];
}

/// <summary>A published service and the experts who offer it and take bookings.</summary>
public sealed record BookableService(Guid Key, string Slug, Service Document, IReadOnlyList<BookableExpert> Experts);

/// <summary>
/// Slots and bookings: computes free slots, books one (the database has the last word on overlaps),
/// cancels and reschedules through the client's manage token, and queues the mails in the same
/// transaction as the change that causes them.
/// </summary>
public sealed partial class BookingService(
    BookingStore store,
    BusyCalendarStore calendars,
    PublishedContentCache content,
    EmailOutbox outbox,
    IOptionsMonitor<EmailOptions> emailOptions,
    IOptionsMonitor<BookingOptions> bookingOptions,
    TimeProvider clock,
    PortfolioMetrics metrics,
    IdempotentReplies replies,
    WebhookOutbox webhooks,
    ILogger<BookingService> logger)
{
    public async Task<BookableExpert?> FindExpertAsync(string? slug, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug))
        {
            return null;
        }

        var snapshot = await content.GetAsync(cancellationToken);
        _siteName = snapshot.Singleton<SiteSettings>()?.SiteName ?? _siteName;
        var item = snapshot.Find<ExpertProfile>(slug!);
        return item is null ? null : new BookableExpert(item.Key, item.Slug, (ExpertProfile)item.Document);
    }

    /// <summary>
    /// Free slots whose start lies in [from, from + days). <paramref name="movingBooking"/>: the booking a client is
    /// moving, which does not count as busy (its buffer would hide the times around it), nor is its own time offered.
    /// </summary>
    public async Task<List<Slot>> FreeSlotsAsync(BookableExpert expert, DateTime fromUtc, int days, CancellationToken cancellationToken,
        ConsultationBooking? movingBooking = null, BookingType? type = null)
    {
        // Nothing is offered past the horizon; stopping here also keeps a far-off date (9999-12-31) from overflowing.
        if (fromUtc >= Now.AddDays(expert.Profile.Availability.HorizonDays))
        {
            return [];
        }

        // A moved booking keeps its type, so its length, buffer, notice and daily limit.
        var availability = (type ?? (movingBooking is null ? expert.Types[0] : expert.TypeOf(movingBooking))).Apply(expert.Profile.Availability);
        var toUtc = fromUtc.AddDays(days);
        var offered = SlotCalculator.Offered(availability, fromUtc, toUtc, Now);
        if (offered.Count == 0)
        {
            return offered;
        }

        var busy = await store.BusyAsync(expert.Key, offered[0].StartUtc.AddDays(-1), offered[^1].EndUtc.AddDays(1), movingBooking?.Id, cancellationToken);
        var calendarBusy = await calendars.IntervalsAsync(expert.Key, offered[0].StartUtc.AddDays(-1), offered[^1].EndUtc.AddDays(1), cancellationToken);
        var free = SlotCalculator.Free(availability, offered, busy, calendarBusy);
        if (movingBooking is not null)
        {
            free.RemoveAll(slot => slot.StartUtc == movingBooking.StartUtc);
        }

        return free;
    }

    /// <summary>
    /// Books a slot. With an idempotency claim the answer is stored in the same transaction as the
    /// booking, so a retried request can be answered the same way and can never book twice.
    /// </summary>
    public async Task<BookingResult> BookAsync(BookingRequest request, string siteBaseUrl, IdempotencyClaim? idempotency,
        CancellationToken cancellationToken)
    {
        var (fields, errors) = Clean(request);
        if (fields.Expert.Length == 0 && TextInput.Clean(request.Service) is { Length: > 0 } serviceSlug)
        {
            return await BookAnyExpertAsync(request, fields, errors, serviceSlug, siteBaseUrl, idempotency, cancellationToken);
        }

        var expert = await FindExpertAsync(fields.Expert, cancellationToken);
        if (expert is null)
        {
            if (fields.Expert.Length == 0)
            {
                errors.Add("expert", "Choose an expert.");
                return new BookingResult.Invalid(errors.ToDictionary());
            }

            return new BookingResult.ExpertNotFound();
        }

        var type = expert.FindType(TextInput.Clean(request.BookingType));
        if (type is null)
        {
            errors.Add("bookingType", $"{expert.Profile.Name} offers no such meeting. Choose one of: {string.Join(", ", expert.Types.Select(t => t.Slug))}.");
        }

        var answers = type is null ? [] : BookingAnswers.Validate(type, request.Answers, errors);
        if (errors.Any)
        {
            return new BookingResult.Invalid(errors.ToDictionary());
        }

        var start = AsUtc(request.Start!.Value);
        if (OutsideHorizon(expert, start) is { } outside)
        {
            return outside;
        }

        var check = await CheckSlotAsync(expert, type!, start, ignoreBooking: null, cancellationToken);
        if (check is not null)
        {
            return check;
        }

        return await InsertAsync(expert, type!, start, fields, answers, siteBaseUrl, idempotency, cancellationToken);
    }

    /// <summary>
    /// A service booked with whichever of its experts is free at the chosen time. Among those free (the time is one of
    /// their slots of the type, no booking in the way, their day not full) the meeting goes to the one with the fewest
    /// confirmed meetings in the coming <see cref="FairnessWeeks"/> weeks; a tie goes to the one least recently booked
    /// (never booked first), then by slug, so the choice is deterministic. When another request wins the chosen expert's
    /// time meanwhile, the next one in that order gets it.
    /// </summary>
    private async Task<BookingResult> BookAnyExpertAsync(BookingRequest request, CleanBooking fields, FieldErrors errors, string serviceSlug,
        string siteBaseUrl, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        var service = await FindServiceAsync(serviceSlug, cancellationToken);
        if (service is null)
        {
            return new BookingResult.ExpertNotFound();
        }

        var typeSlug = TextInput.Clean(request.BookingType);
        var candidates = service.Experts.Select(expert => (Expert: expert, Type: expert.FindType(typeSlug))).Where(pair => pair.Type is not null).ToList();
        if (candidates.Count == 0)
        {
            errors.Add(typeSlug.Length == 0 ? "service" : "bookingType", $"No expert takes bookings for {service.Document.Title} at the moment.");
        }

        if (errors.Any)
        {
            return new BookingResult.Invalid(errors.ToDictionary());
        }

        var start = AsUtc(request.Start!.Value);
        var now = Now;
        if (start < now || candidates.All(pair => start > now.AddDays(pair.Expert.Profile.Availability.HorizonDays)))
        {
            return new BookingResult.Invalid(new() { ["start"] = ["Choose one of the listed free times."] });
        }

        var free = new List<(BookableExpert Expert, BookingType Type)>();
        foreach (var (expert, type) in candidates)
        {
            if (start <= now.AddDays(expert.Profile.Availability.HorizonDays) && await CheckSlotAsync(expert, type!, start, null, cancellationToken) is null)
            {
                free.Add((expert, type!));
            }
        }

        if (free.Count == 0)
        {
            return candidates.Any(pair => OfferedAt(pair.Type!.Apply(pair.Expert.Profile.Availability), start) is not null)
                ? new BookingResult.Taken("Nobody is free at this time any more. Please choose another time.")
                : new BookingResult.Invalid(new() { ["start"] = [$"Nobody offers {service.Document.Title} at that time. Choose one of the listed free times."] });
        }

        var load = await store.LoadAsync(free.Select(pair => pair.Expert.Key).ToList(), now, now.AddDays(7 * FairnessWeeks), cancellationToken);
        BookingResult? last = null;
        foreach (var (expert, type) in RoundRobin.Order(free, pair => pair.Expert.Key, pair => pair.Expert.Slug, load))
        {
            var typeErrors = new FieldErrors();
            var answers = BookingAnswers.Validate(type, request.Answers, typeErrors);
            if (typeErrors.Any)
            {
                return new BookingResult.Invalid(typeErrors.ToDictionary());
            }

            last = await InsertAsync(expert, type, start, fields, answers, siteBaseUrl, idempotency, cancellationToken);
            if (last is not BookingResult.Taken)
            {
                return last;
            }
        }

        return last!;
    }

    /// <summary>How far ahead the any-expert choice counts each expert's meetings.</summary>
    public const int FairnessWeeks = 4;

    /// <summary>A published service and its bookable experts (those who list it and have weekly windows), by slug.</summary>
    public async Task<BookableService?> FindServiceAsync(string? slug, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug))
        {
            return null;
        }

        var snapshot = await content.GetAsync(cancellationToken);
        _siteName = snapshot.Singleton<SiteSettings>()?.SiteName ?? _siteName;
        var item = snapshot.Find<Service>(slug!);
        if (item is null)
        {
            return null;
        }

        var experts = snapshot.List<ExpertProfile>()
            .Select(expert => new BookableExpert(expert.Key, expert.Slug, (ExpertProfile)expert.Document))
            .Where(expert => expert.Profile.Services.Contains(item.Slug, StringComparer.Ordinal) && expert.Profile.Availability.Windows.Count > 0)
            .OrderBy(expert => expert.Slug, StringComparer.Ordinal)
            .ToList();
        return new BookableService(item.Key, item.Slug, (Service)item.Document, experts);
    }

    /// <summary>
    /// The free times of a service: the union of its experts' free slots of the type (<paramref name="typeSlug"/>, empty:
    /// each expert's default), one entry per start and length.
    /// </summary>
    public async Task<List<Slot>> FreeSlotsAsync(BookableService service, string? typeSlug, DateTime fromUtc, int days, CancellationToken cancellationToken)
    {
        var union = new SortedSet<Slot>(Comparer<Slot>.Create((a, b) => a.StartUtc != b.StartUtc ? a.StartUtc.CompareTo(b.StartUtc) : a.EndUtc.CompareTo(b.EndUtc)));
        foreach (var expert in service.Experts)
        {
            if (expert.FindType(typeSlug) is { } type)
            {
                union.UnionWith(await FreeSlotsAsync(expert, fromUtc, days, cancellationToken, type: type));
            }
        }

        return [.. union];
    }

    private async Task<BookingResult> InsertAsync(BookableExpert expert, BookingType type, DateTime start, CleanBooking fields,
        IReadOnlyList<QuestionAnswer> answers, string siteBaseUrl, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        var slot = OfferedAt(type.Apply(expert.Profile.Availability), start)!.Value;
        var token = NewToken();
        var now = Now;
        var booking = new ConsultationBooking
        {
            Id = Guid.CreateVersion7(),
            ExpertKey = expert.Key,
            ExpertSlug = expert.Slug,
            StartUtc = slot.StartUtc,
            EndUtc = slot.EndUtc,
            Status = BookingStatus.Confirmed,
            Name = fields.Name,
            Email = fields.Email,
            Company = fields.Company,
            Topic = fields.Topic,
            Notes = fields.Notes,
            ClientTimeZone = fields.TimeZone,
            ManageTokenHash = HashToken(token),
            Sequence = 0,
            CreatedUtc = now,
            UpdatedUtc = now,
            ScheduledUtc = now,
            Revision = 1,
            ExpertDay = SlotCalculator.LocalDate(slot.StartUtc, expert.Zone),
            // The type's limit: the database refuses the booking when its day already holds this many of any type.
            MaxPerDay = type.MaxPerDay,
            BookingType = type.Slug,
            Answers = BookingAnswers.ToJson(answers),
        };
        MeetingPlaces.Assign(booking, type.PlaceOr(expert.Profile.Availability.Location));
        var manageUrl = ManageUrl(siteBaseUrl, token);
        EmailDraft[] mails =
        [
            ClientMail(booking, expert, manageUrl, CalendarInvitation.Request, "booking-confirmation",
                $"Your {type.Title.ToLowerInvariant()} with {expert.Profile.Name} is booked",
                $"Your {type.Title.ToLowerInvariant()} ({type.Minutes} minutes) is booked. The invitation is attached; add it to your calendar."),
            .. ExpertMail(booking, expert, CalendarInvitation.Request, "booking-expert-notification",
                $"New {type.Title.ToLowerInvariant()} with {booking.Name}",
                $"{booking.Name} booked a {type.Title.ToLowerInvariant()} ({type.Minutes} minutes) with you. The invitation is attached; add it to your calendar."),
            OwnerMail(booking, expert, CalendarInvitation.Request, "booking-notification", $"New booking: {booking.Name} with {expert.Profile.Name}", "A new consultation was booked."),
        ];
        var confirmation = new BookingConfirmation(booking.Id, booking.StartUtc, booking.EndUtc, manageUrl, MeetingPlaces.Of(booking));
        var remembered = idempotency is null ? null : new IdempotentRequest
        {
            Scope = IdempotencyClaim.BookingsScope,
            Key = idempotency.Key,
            RequestHash = idempotency.Fingerprint,
            StatusCode = StatusCodes.Status201Created,
            ResponseJson = replies.Seal(confirmation),
            CreatedUtc = now,
        };

        var created = WebhookEvent.Booking(WebhookEventTypes.BookingCreated, now, booking, expert.Profile.Name);
        switch (await store.TryInsertAsync(booking, mails.Select(outbox.Create), remembered, cancellationToken, created))
        {
            case BookingSave.DayFull:
                // Concurrent bookings of other slots of the day filled it first: the database counted them.
                return DayFull(expert, type);
            case not BookingSave.Saved:
            // Either another booking won the slot, or a concurrent request with the same key won; the caller tells which.
            return new BookingResult.Taken("Someone has just booked this time. Please choose another slot.");
        }

        outbox.Wake();
        webhooks.Wake();
        metrics.BookingCreated();
        LogBooked(logger, booking.Id, expert.Slug, booking.StartUtc);
        return new BookingResult.Created(booking, token, confirmation);
    }

    /// <summary>The booking behind a manage token, or null for a wrong token.</summary>
    public async Task<ConsultationBooking?> FindByTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        return await store.FindByTokenHashAsync(HashToken(token), cancellationToken);
    }

    /// <summary>Whether the client may still change the booking (not cancelled, not too close).</summary>
    public bool CanChange(ConsultationBooking booking) =>
        booking.Status == BookingStatus.Confirmed && booking.StartUtc - Now >= bookingOptions.CurrentValue.ChangeMinimumNotice;

    public TimeSpan ChangeMinimumNotice => bookingOptions.CurrentValue.ChangeMinimumNotice;

    /// <summary>
    /// Cancels the booking. <paramref name="reason"/>: the client's, optional; stored and shown to the owner (their mail
    /// and the backoffice), never sent back to the client.
    /// </summary>
    public async Task<BookingResult> CancelAsync(ConsultationBooking booking, bool byOwner, CancellationToken cancellationToken, string? reason = null)
    {
        if (booking.Status == BookingStatus.Cancelled)
        {
            return new BookingResult.Taken("This booking is already cancelled.");
        }

        if (!byOwner && !CanChange(booking))
        {
            return new BookingResult.Invalid(new() { ["booking"] = [TooLateMessage()] });
        }

        var (cleanReason, reasonError) = CleanReason(reason);
        if (reasonError is not null)
        {
            return reasonError;
        }

        if (!byOwner)
        {
            booking.CancellationReason = cleanReason;
        }

        var expert = await ExpertForAsync(booking, cancellationToken);
        booking.Status = BookingStatus.Cancelled;
        booking.CancelledUtc = Now;
        booking.UpdatedUtc = Now;
        booking.Sequence++;
        booking.Revision++;
        EmailDraft[] mails =
        [
            ClientMail(booking, expert, manageUrl: null, CalendarInvitation.Cancel, "booking-cancellation",
                $"Cancelled: your consultation with {expert.Profile.Name}",
                byOwner ? "We are sorry: we had to cancel your consultation. Please book another time." : "Your consultation is cancelled."),
            .. ExpertMail(booking, expert, CalendarInvitation.Cancel, "booking-expert-cancelled", $"Cancelled: consultation with {booking.Name}",
                byOwner ? $"Your consultation with {booking.Name} was cancelled by us. The cancellation is attached for your calendar."
                    : $"{booking.Name} cancelled the consultation. The cancellation is attached for your calendar."),
            OwnerMail(booking, expert, CalendarInvitation.Cancel, "booking-cancelled", $"Cancelled: {booking.Name} with {expert.Profile.Name}",
                byOwner ? "You cancelled this consultation." : "The client cancelled this consultation.", byOwner ? null : booking.CancellationReason),
        ];
        var cancelled = WebhookEvent.Booking(WebhookEventTypes.BookingCancelled, Now, booking, expert.Profile.Name);
        if (await SaveChangeAsync(mails, expert, expert.TypeOf(booking), cancellationToken, cancelled) is { } lost)
        {
            return lost;
        }

        outbox.Wake();
        webhooks.Wake();
        LogCancelled(logger, booking.Id, byOwner);
        return new BookingResult.Cancelled(booking);
    }

    /// <summary>
    /// The client moves the booking to another free slot; the booking keeps its id and the invitation its UID.
    /// <paramref name="reason"/>: the client's, optional; stored and shown to the owner.
    /// </summary>
    public async Task<BookingResult> RescheduleAsync(ConsultationBooking booking, DateTime? newStart, string siteBaseUrl, string token,
        CancellationToken cancellationToken, string? reason = null)
    {
        if (!CanChange(booking))
        {
            return new BookingResult.Invalid(new() { ["booking"] = [TooLateMessage()] });
        }

        var (cleanReason, reasonError) = CleanReason(reason);
        if (reasonError is not null)
        {
            return reasonError;
        }

        return await MoveAsync(booking, newStart, ManageUrl(siteBaseUrl, token), cleanReason, byOwner: false, cancellationToken);
    }

    /// <summary>
    /// The owner moves the booking to another free slot, also inside the client's minimum notice: the client gets the
    /// updated invitation (same UID, higher SEQUENCE). The mail carries no manage link (the owner has no token; the
    /// client's confirmation mail has it).
    /// </summary>
    public Task<BookingResult> MoveByOwnerAsync(ConsultationBooking booking, DateTime? newStart, CancellationToken cancellationToken) =>
        booking.Status != BookingStatus.Confirmed
            ? Task.FromResult<BookingResult>(new BookingResult.Invalid(new() { ["booking"] = ["A cancelled booking cannot be moved."] }))
            : MoveAsync(booking, newStart, manageUrl: null, reason: null, byOwner: true, cancellationToken);

    /// <summary>
    /// Asks the client to choose a new time: a mail with a fresh manage link. The booking keeps only a hash of its token,
    /// so a new token is issued and the earlier link stops working (the mail says so). Only while the client may still
    /// move the booking online.
    /// </summary>
    public async Task<BookingResult> RequestNewTimeAsync(ConsultationBooking booking, string siteBaseUrl, string? message,
        CancellationToken cancellationToken)
    {
        if (!CanChange(booking))
        {
            return new BookingResult.Invalid(new() { ["booking"] = [
                $"The client can move a booking online only until {FormatNotice(ChangeMinimumNotice)} before it starts: move it yourself, or write to them."] });
        }

        var cleanMessage = TextInput.CleanOptional(message, multiline: true);
        if (cleanMessage is { Length: > ConsultationBooking.ReasonMaxLength })
        {
            return new BookingResult.Invalid(new() { ["message"] = [$"Keep the message to {ConsultationBooking.ReasonMaxLength} characters."] });
        }

        var expert = await ExpertForAsync(booking, cancellationToken);
        var token = NewToken();
        booking.ManageTokenHash = HashToken(token);
        booking.UpdatedUtc = Now;
        booking.Revision++;
        var manageUrl = ManageUrl(siteBaseUrl, token);
        var template = new EmailTemplate($"Please choose a new time for your consultation with {expert.Profile.Name}")
            .Paragraph($"Hello {booking.Name},")
            .Paragraph("We are sorry: we need to move your consultation. Please choose a new time that suits you with the link below. Until you do, the meeting stays at its current time.");
        if (cleanMessage is not null)
        {
            template.Quote(cleanMessage);
        }

        template.Fact("Expert", expert.Profile.Name)
            .Fact("Current time", Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone))
            .Fact("Topic", booking.Topic)
            .Button("Choose a new time", manageUrl)
            .Paragraph("This link replaces the one in our earlier e-mails.");
        EmailDraft[] mails = [new("booking-new-time-requested", booking.Email, booking.Name, template.Render(_siteName))];
        if (await SaveChangeAsync(mails, expert, expert.TypeOf(booking), cancellationToken) is { } lost)
        {
            return lost;
        }

        outbox.Wake();
        return new BookingResult.NewTimeRequested(booking);
    }

    private async Task<BookingResult> MoveAsync(ConsultationBooking booking, DateTime? newStart, string? manageUrl, string? reason, bool byOwner,
        CancellationToken cancellationToken)
    {
        if (newStart is null)
        {
            return new BookingResult.Invalid(new() { ["start"] = ["Choose a new time."] });
        }

        var expert = await ExpertForAsync(booking, cancellationToken);
        var start = AsUtc(newStart.Value);
        if (OutsideHorizon(expert, start) is { } outside)
        {
            return outside;
        }

        var type = expert.TypeOf(booking);
        var check = await CheckSlotAsync(expert, type, start, booking.Id, cancellationToken);
        if (check is not null)
        {
            return check;
        }

        var slot = OfferedAt(type.Apply(expert.Profile.Availability), start)!.Value;
        var previousStart = booking.StartUtc;
        booking.StartUtc = slot.StartUtc;
        booking.EndUtc = slot.EndUtc;
        // The day the database counts the booking in moves with it, under its type's limit of today.
        booking.ExpertDay = SlotCalculator.LocalDate(slot.StartUtc, expert.Zone);
        booking.MaxPerDay = type.MaxPerDay;
        // A booking keeps its place (and its own room link) when it moves; one made before places existed gets the type's.
        MeetingPlaces.Assign(booking, type.PlaceOr(expert.Profile.Availability.Location));
        booking.UpdatedUtc = Now;
        // Reminders whose time has already come at the new time are not sent (BookingReminderService).
        booking.ScheduledUtc = Now;
        booking.Sequence++;
        booking.Revision++;
        if (!byOwner)
        {
            booking.RescheduleReason = reason;
        }

        EmailDraft[] mails =
        [
            ClientMail(booking, expert, manageUrl, CalendarInvitation.Request, "booking-rescheduled",
                $"New time: your consultation with {expert.Profile.Name}",
                byOwner
                    ? "We are sorry: we had to move your consultation to a new time. The updated invitation is attached. To change it, use the link in your confirmation e-mail."
                    : "Your consultation has moved to a new time. The updated invitation is attached."),
            .. ExpertMail(booking, expert, CalendarInvitation.Request, "booking-expert-rescheduled", $"New time: consultation with {booking.Name}",
                byOwner ? $"Your consultation with {booking.Name} was moved by us to a new time. The updated invitation is attached."
                    : $"{booking.Name} moved the consultation to a new time. The updated invitation is attached."),
            OwnerMail(booking, expert, CalendarInvitation.Request, "booking-rescheduled", $"Rescheduled: {booking.Name} with {expert.Profile.Name}",
                byOwner ? "You moved this consultation." : "The client moved this consultation.", byOwner ? null : reason),
        ];
        var moved = WebhookEvent.Booking(WebhookEventTypes.BookingMoved, Now, booking, expert.Profile.Name, previousStart);
        if (await SaveChangeAsync(mails, expert, type, cancellationToken, moved) is { } lost)
        {
            return lost;
        }

        outbox.Wake();
        webhooks.Wake();
        // The owner's move has no link to give (only the client's mail ever held the token).
        return new BookingResult.Moved(booking, new BookingConfirmation(booking.Id, booking.StartUtc, booking.EndUtc, manageUrl ?? "", MeetingPlaces.Of(booking)));
    }

    public static string ManageUrl(string siteBaseUrl, string token) => $"{siteBaseUrl.TrimEnd('/')}/bookings/manage/{token}";

    /// <summary>The times of a booking as text, in a given time zone ("Tuesday 3 November 2026, 10:00–10:45 (Europe/London)").</summary>
    public static string Describe(DateTime startUtc, DateTime endUtc, string timeZone)
    {
        var zone = TimeZones.FindOrUtc(timeZone);
        var start = TimeZoneInfo.ConvertTimeFromUtc(startUtc, zone);
        var end = TimeZoneInfo.ConvertTimeFromUtc(endUtc, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{start:dddd d MMMM yyyy}, {start:HH:mm}–{end:HH:mm} ({zone.Id})");
    }

    /// <summary>
    /// A requested start in UTC. A time with an offset ("Z", "+01:00") is converted; one without an offset is
    /// taken as UTC, as the API documents its times, and never as the server's own time zone (which
    /// <see cref="DateTime.ToUniversalTime"/> would assume, so the same request meant different slots on
    /// differently configured servers).
    /// </summary>
    internal static DateTime AsUtc(DateTime start) =>
        start.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(start, DateTimeKind.Utc) : start.ToUniversalTime();

    /// <summary>
    /// Gives every booking stored before the database counted bookings a day its day in the expert's time zone (see
    /// <see cref="BookingStore.BackfillExpertDaysAsync"/>); an expert no longer published counts in UTC.
    /// </summary>
    public async Task<int> BackfillExpertDaysAsync(CancellationToken cancellationToken)
    {
        var snapshot = await content.GetAsync(cancellationToken);
        var zones = snapshot.List<ExpertProfile>().ToDictionary(item => item.Key, item => TimeZones.Get(((ExpertProfile)item.Document).Availability.TimeZone));
        return await store.BackfillExpertDaysAsync(key => zones.GetValueOrDefault(key, TimeZoneInfo.Utc), cancellationToken);
    }

    /// <summary>
    /// A start before now or past the expert's booking horizon, as a field error. Checked before anything computes with
    /// the time: a far-off one (9999-12-31T23:59:59.9999999Z) overflowed the slot arithmetic and answered 500.
    /// </summary>
    private BookingResult.Invalid? OutsideHorizon(BookableExpert expert, DateTime start)
    {
        var horizon = expert.Profile.Availability.HorizonDays;
        var now = Now;
        return start >= now && start <= now.AddDays(horizon)
            ? null
            : new BookingResult.Invalid(new()
            {
                ["start"] =
                [
                    string.Create(CultureInfo.InvariantCulture,
                        $"Choose a time from now until {horizon} days ahead ({now.AddDays(horizon):d MMMM yyyy}): {expert.Profile.Name} takes no bookings further out. Choose one of the listed free slots."),
                ],
            });
    }

    /// <summary>The expert takes no more bookings of this type on the day of the chosen time (the type's <see cref="BookingType.MaxPerDay"/>).</summary>
    private static BookingResult.Taken DayFull(BookableExpert expert, BookingType type) =>
        new($"{expert.Profile.Name} is fully booked on that day: {type.MaxPerDay} meetings at most. Please choose a time on another day.")
        {
            Title = "That day is fully booked.",
        };

    private async Task<BookingResult?> CheckSlotAsync(BookableExpert expert, BookingType type, DateTime start, Guid? ignoreBooking,
        CancellationToken cancellationToken)
    {
        var availability = type.Apply(expert.Profile.Availability);
        var offered = OfferedAt(availability, start);
        if (offered is null)
        {
            return new BookingResult.Invalid(new()
            {
                ["start"] = [$"{expert.Profile.Name} does not offer a consultation at that time. Choose one of the listed free slots."],
            });
        }

        var busy = await store.BusyAsync(expert.Key, start.AddDays(-1), start.AddDays(1), ignoreBooking, cancellationToken);
        var calendarBusy = await calendars.IntervalsAsync(expert.Key, start.AddDays(-1), start.AddDays(1), cancellationToken);
        if (SlotCalculator.Free(availability, [offered.Value], busy, calendarBusy).Count > 0)
        {
            return null;
        }

        // Not free: say whether the time itself is taken or only the day is full.
        return SlotCalculator.Free(availability with { MaxPerDay = int.MaxValue }, [offered.Value], busy, calendarBusy).Count == 0
            ? new BookingResult.Taken("This time is no longer free. Please choose another slot.")
            : DayFull(expert, type);
    }

    /// <summary>The offered slot starting exactly at <paramref name="start"/>, if there is one.</summary>
    private Slot? OfferedAt(Availability availability, DateTime start)
    {
        var slots = SlotCalculator.Offered(availability, start, start.AddTicks(1), Now);
        return slots.Count == 1 && slots[0].StartUtc == start ? slots[0] : null;
    }

    private async Task<BookableExpert> ExpertForAsync(ConsultationBooking booking, CancellationToken cancellationToken) =>
        await FindExpertAsync(booking.ExpertSlug, cancellationToken)
        ?? new BookableExpert(booking.ExpertKey, booking.ExpertSlug, new ExpertProfile { Name = booking.ExpertSlug });

    /// <summary>Saves a change to a booking with its mails; null when it was saved, else what the client is told.</summary>
    private async Task<BookingResult?> SaveChangeAsync(EmailDraft[] mails, BookableExpert expert, BookingType type, CancellationToken cancellationToken,
        WebhookEvent? webhookEvent = null) =>
        await store.SaveChangeAsync(mails.Select(outbox.Create), cancellationToken, webhookEvent) switch
        {
            BookingSave.Saved => null,
            BookingSave.Changed => new BookingResult.Changed(),
            BookingSave.DayFull => DayFull(expert, type),
            _ => new BookingResult.Taken("Someone has just booked that time. Please choose another slot."),
        };

    private EmailDraft ClientMail(ConsultationBooking booking, BookableExpert expert, string? manageUrl, string method, string kind, string subject, string opening)
    {
        var clientTime = Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone);
        var expertTime = Describe(booking.StartUtc, booking.EndUtc, expert.Profile.Availability.TimeZone);
        var place = MeetingPlaces.Of(booking);
        var template = new EmailTemplate(subject)
            .Paragraph($"Hello {booking.Name},")
            .Paragraph(opening)
            .Fact("Expert", expert.Profile.Name)
            .Fact("Your time", clientTime)
            .Fact($"{expert.Profile.Name}'s time", expertTime)
            .Fact("Topic", booking.Topic);
        if (place is not null)
        {
            template.Fact(MeetingPlaces.Label(place), place.Value);
        }

        if (manageUrl is not null)
        {
            template.Paragraph($"Need to change it? You can cancel or move the meeting until {FormatNotice(ChangeMinimumNotice)} before it starts.")
                .Button("Manage your booking", manageUrl);
        }

        var title = BookingTypes.TitleOf(expert.Profile, booking.BookingType);
        var description = $"{title} with {expert.Profile.Name}: {booking.Topic}\nYour time: {clientTime}\n{expert.Profile.Name}'s time: {expertTime}" +
                          Where(place) + (manageUrl is null ? "" : $"\nManage: {manageUrl}");
        var calendar = Invitation(booking, expert, method, $"{title} with {expert.Profile.Name}", description);
        return new EmailDraft(kind, booking.Email, booking.Name, template.Render(_siteName), Calendar: calendar, CalendarMethod: method);
    }

    /// <summary>The expert's copy of the invitation, when the profile has an e-mail address; never with the client's manage link.</summary>
    private IEnumerable<EmailDraft> ExpertMail(ConsultationBooking booking, BookableExpert expert, string method, string kind, string subject, string opening)
    {
        if (ParseAddress(expert.Profile.Email) is not { } address)
        {
            yield break;
        }

        var expertTime = Describe(booking.StartUtc, booking.EndUtc, expert.Profile.Availability.TimeZone);
        var clientTime = Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone);
        var place = MeetingPlaces.Of(booking);
        var template = new EmailTemplate(subject)
            .Paragraph($"Hello {expert.Profile.Name},")
            .Paragraph(opening)
            .Fact("Your time", expertTime)
            .Fact("Client's time", clientTime)
            .Fact("Name", booking.Name)
            .Fact("E-mail", booking.Email)
            .Fact("Company", booking.Company)
            .Fact("Topic", booking.Topic);
        if (place is not null)
        {
            template.Fact(MeetingPlaces.Label(place), place.Value);
        }

        if (!string.IsNullOrEmpty(booking.Notes))
        {
            template.Quote(booking.Notes);
        }

        var title = BookingTypes.TitleOf(expert.Profile, booking.BookingType);
        var calendar = Invitation(booking, expert, method, $"{title} with {booking.Name}", TeamDescription(booking, title, expertTime, place));
        yield return new EmailDraft(kind, address.Address, expert.Profile.Name, template.Render(_siteName), ReplyTo: booking.Email,
            Calendar: calendar, CalendarMethod: method);
    }

    /// <summary>The owner's copy of a change; <paramref name="reason"/>: the client's, when they gave one.</summary>
    private EmailDraft OwnerMail(ConsultationBooking booking, BookableExpert expert, string method, string kind, string subject, string opening,
        string? reason = null)
    {
        var settings = emailOptions.CurrentValue;
        var place = MeetingPlaces.Of(booking);
        var template = new EmailTemplate(subject)
            .Paragraph(opening)
            .Fact("Expert", expert.Profile.Name)
            .Fact("Meeting", expert.TypeOf(booking) is var type ? $"{type.Title} ({type.Minutes} minutes)" : null)
            .Fact("When (UTC)", Describe(booking.StartUtc, booking.EndUtc, "UTC"))
            .Fact("Client's time", Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone))
            .Fact("Name", booking.Name)
            .Fact("E-mail", booking.Email)
            .Fact("Company", booking.Company)
            .Fact("Topic", booking.Topic);
        if (place is not null)
        {
            template.Fact(MeetingPlaces.Label(place), place.Value);
        }

        // The answers to the type's questions, under the labels they were asked with.
        foreach (var answer in BookingAnswers.Read(booking.Answers))
        {
            template.Fact(answer.Label, answer.Value);
        }

        if (!string.IsNullOrEmpty(booking.Notes))
        {
            template.Quote(booking.Notes);
        }

        if (reason is not null)
        {
            template.Paragraph("The client's reason:").Quote(reason);
        }

        var title = BookingTypes.TitleOf(expert.Profile, booking.BookingType);
        var calendar = Invitation(booking, expert, method, $"{title}: {booking.Name} with {expert.Profile.Name}",
            TeamDescription(booking, title, Describe(booking.StartUtc, booking.EndUtc, expert.Profile.Availability.TimeZone), place));
        return new EmailDraft(kind, settings.OwnerAddress, "Owner", template.Render(_siteName), ReplyTo: booking.Email,
            Calendar: calendar, CalendarMethod: method);
    }

    /// <summary>
    /// The invitation of a booking as one recipient gets it: the same UID, SEQUENCE, times, place, organizer and attendees
    /// for everyone, so each calendar shows the expert's meeting with the client; summary and description are the
    /// recipient's own (only the client's carries the manage link). The expert organizes it when the profile has an
    /// address, else the site's sender does.
    /// </summary>
    private string Invitation(ConsultationBooking booking, BookableExpert expert, string method, string summary, string description)
    {
        var expertAddress = ParseAddress(expert.Profile.Email);
        var organizer = expertAddress ?? ParseAddress(emailOptions.CurrentValue.From)!;
        List<CalendarAttendee> attendees = expertAddress is null
            ? [new(booking.Name, booking.Email)]
            : [new(expert.Profile.Name, expertAddress.Address, Accepted: true), new(booking.Name, booking.Email)];
        var place = MeetingPlaces.Of(booking);
        return CalendarInvitation.Create(new InvitationDetails(
            booking.Id, booking.Sequence, booking.StartUtc, booking.EndUtc, summary, description,
            expert.Profile.Name, organizer.Address, attendees, organizer.Domain, Now, place?.Value, place?.Url), method);
    }

    /// <summary>
    /// The domain of a booking's UIDs: the organizer's, as invitations have always had it, so that a feed's events and
    /// later updates name the same events.
    /// </summary>
    public string UidDomain(ExpertProfile profile) => (ParseAddress(profile.Email) ?? ParseAddress(emailOptions.CurrentValue.From)!).Domain;

    /// <summary>
    /// The client's calendar file of a booking (the manage page's download): the invitation's UID, SEQUENCE and place, with
    /// the client's own summary and description. <paramref name="expert"/> null: no longer published, so the UID's domain
    /// is the site sender's.
    /// </summary>
    public string ClientCalendarFile(ConsultationBooking booking, ExpertProfile? expert, string summary, string description)
    {
        var place = MeetingPlaces.Of(booking);
        var domain = expert is null ? ParseAddress(emailOptions.CurrentValue.From)!.Domain : UidDomain(expert);
        return CalendarInvitation.Download(new InvitationDetails(booking.Id, booking.Sequence, booking.StartUtc, booking.EndUtc,
            summary, description, expert?.Name ?? "", "", [], domain, booking.UpdatedUtc, place?.Value, place?.Url));
    }

    /// <summary>A booking as an event of the expert's calendar feed: the invitation's UID and SEQUENCE, stamped when it last changed.</summary>
    public InvitationDetails FeedEvent(ConsultationBooking booking, ExpertProfile expert)
    {
        var place = MeetingPlaces.Of(booking);
        var title = BookingTypes.TitleOf(expert, booking.BookingType);
        return new InvitationDetails(booking.Id, booking.Sequence, booking.StartUtc, booking.EndUtc, $"{title} with {booking.Name}",
            TeamDescription(booking, title, Describe(booking.StartUtc, booking.EndUtc, expert.Availability.TimeZone), place),
            expert.Name, "", [], UidDomain(expert), booking.UpdatedUtc, place?.Value, place?.Url);
    }

    /// <summary>A booking as the expert's and the owner's calendars describe it.</summary>
    internal static string TeamDescription(ConsultationBooking booking, string title, string expertTime, BookingLocation? place) =>
        $"{title} with {booking.Name}{(string.IsNullOrEmpty(booking.Company) ? "" : ", " + booking.Company)} <{booking.Email}>: {booking.Topic}" +
        $"\nExpert's time: {expertTime}\nClient's time: {Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone)}" +
        Where(place) + (string.IsNullOrEmpty(booking.Notes) ? "" : $"\nNotes: {booking.Notes}");

    private static string Where(BookingLocation? place) => place is null ? "" : $"\n{MeetingPlaces.Label(place)}: {place.Value}";

    /// <summary>Signs the mails; read from the site settings whenever an expert is looked up.</summary>
    private string _siteName = "TechNext";

    private string TooLateMessage() =>
        $"Bookings can be changed online until {FormatNotice(ChangeMinimumNotice)} before they start. Please write to us instead.";

    /// <summary>A client's optional reason, cleaned; or why it cannot be taken.</summary>
    private static (string? Reason, BookingResult.Invalid? Error) CleanReason(string? reason)
    {
        var clean = TextInput.CleanOptional(reason, multiline: true);
        return clean is { Length: > ConsultationBooking.ReasonMaxLength }
            ? (null, new BookingResult.Invalid(new() { ["reason"] = [$"Keep the reason to {ConsultationBooking.ReasonMaxLength} characters."] }))
            : (clean, null);
    }

    internal static string FormatNotice(TimeSpan notice) =>
        notice.TotalHours >= 1 ? $"{notice.TotalHours:0} hours" : $"{notice.TotalMinutes:0} minutes";

    private static (CleanBooking Fields, FieldErrors Errors) Clean(BookingRequest request)
    {
        var fields = new CleanBooking(
            TextInput.Clean(request.Expert),
            TextInput.Clean(request.Name),
            TextInput.Clean(request.Email),
            TextInput.CleanOptional(request.Company),
            TextInput.Clean(request.Topic),
            TextInput.CleanOptional(request.Notes, multiline: true),
            TextInput.Clean(request.TimeZone));
        var errors = new FieldErrors();
        errors.Required("name", fields.Name, "your name", 100);
        errors.Email("email", fields.Email);
        errors.Optional("company", fields.Company, "company", 100);
        errors.Required("topic", fields.Topic, "a topic", 150);
        errors.Optional("notes", fields.Notes, "notes", 2000);
        if (fields.TimeZone.Length == 0)
        {
            errors.Add("timeZone", "Choose your time zone, e.g. Europe/Berlin.");
        }
        else if (!TimeZones.IsIana(fields.TimeZone))
        {
            errors.Add("timeZone", TimeZones.Hint);
        }

        if (request.Start is null)
        {
            errors.Add("start", "Choose a time.");
        }

        return (fields, errors);
    }

    private sealed record CleanBooking(string Expert, string Name, string Email, string? Company, string Topic, string? Notes, string TimeZone);

    private static MimeKit.MailboxAddress? ParseAddress(string value) =>
        MimeKit.MailboxAddress.TryParse(value, out var address) && address.Domain.Length > 0 ? address : null;

    private static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    internal static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Booking {BookingId} confirmed for {ExpertSlug} at {StartUtc:o}")]
    private static partial void LogBooked(ILogger logger, Guid bookingId, string expertSlug, DateTime startUtc);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Booking {BookingId} cancelled (by owner: {ByOwner})")]
    private static partial void LogCancelled(ILogger logger, Guid bookingId, bool byOwner);
}
