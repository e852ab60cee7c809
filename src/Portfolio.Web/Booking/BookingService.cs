using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portfolio.Web.Content;
using Portfolio.Web.Email;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Booking;

/// <summary>The <c>Booking</c> configuration section.</summary>
public sealed class BookingOptions
{
    public const string SectionName = "Booking";

    /// <summary>A client may cancel or reschedule until this long before the meeting.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan ChangeMinimumNotice { get; set; } = TimeSpan.FromHours(24);
}

[OptionsValidator]
public sealed partial class BookingOptionsValidator : IValidateOptions<BookingOptions>;

/// <summary>What a client asks for (from the API or the booking form), before cleaning and validation.</summary>
public sealed record BookingRequest(
    string? Expert, DateTime? Start, string? Name, string? Email, string? Company, string? Topic, string? Notes, string? TimeZone);

/// <summary>What a client gets back for a new booking (the API's 201 body).</summary>
public sealed record BookingConfirmation(Guid Id, DateTime Start, DateTime End, string ManageUrl);

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
}

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
        ConsultationBooking? movingBooking = null)
    {
        // Nothing is offered past the horizon; stopping here also keeps a far-off date (9999-12-31) from overflowing.
        if (fromUtc >= Now.AddDays(expert.Profile.Availability.HorizonDays))
        {
            return [];
        }

        var toUtc = fromUtc.AddDays(days);
        var offered = SlotCalculator.Offered(expert.Profile.Availability, fromUtc, toUtc, Now);
        if (offered.Count == 0)
        {
            return offered;
        }

        var busy = await store.BusyAsync(expert.Key, offered[0].StartUtc.AddDays(-1), offered[^1].EndUtc.AddDays(1), movingBooking?.Id, cancellationToken);
        var calendarBusy = await calendars.IntervalsAsync(expert.Key, offered[0].StartUtc.AddDays(-1), offered[^1].EndUtc.AddDays(1), cancellationToken);
        var free = SlotCalculator.Free(expert.Profile.Availability, offered, busy, calendarBusy);
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

        if (errors.Any)
        {
            return new BookingResult.Invalid(errors.ToDictionary());
        }

        var start = AsUtc(request.Start!.Value);
        if (OutsideHorizon(expert, start) is { } outside)
        {
            return outside;
        }

        var check = await CheckSlotAsync(expert, start, ignoreBooking: null, cancellationToken);
        if (check is not null)
        {
            return check;
        }

        var slot = OfferedAt(expert, start)!.Value;
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
            Revision = 1,
            ExpertDay = SlotCalculator.LocalDate(slot.StartUtc, expert.Zone),
            MaxPerDay = expert.Profile.Availability.MaxPerDay,
        };
        var manageUrl = ManageUrl(siteBaseUrl, token);
        EmailDraft[] mails =
        [
            ClientMail(booking, expert, manageUrl, CalendarInvitation.Request, "booking-confirmation",
                $"Your consultation with {expert.Profile.Name} is booked",
                "Your consultation is booked. The invitation is attached; add it to your calendar."),
            OwnerMail(booking, expert, "booking-notification", $"New booking: {booking.Name} with {expert.Profile.Name}", "A new consultation was booked."),
        ];
        var confirmation = new BookingConfirmation(booking.Id, booking.StartUtc, booking.EndUtc, manageUrl);
        var remembered = idempotency is null ? null : new IdempotentRequest
        {
            Scope = IdempotencyClaim.BookingsScope,
            Key = idempotency.Key,
            RequestHash = idempotency.Fingerprint,
            StatusCode = StatusCodes.Status201Created,
            ResponseJson = replies.Seal(confirmation),
            CreatedUtc = now,
        };

        switch (await store.TryInsertAsync(booking, mails.Select(outbox.Create), remembered, cancellationToken))
        {
            case BookingSave.DayFull:
                // Concurrent bookings of other slots of the day filled it first: the database counted them.
                return DayFull(expert);
            case not BookingSave.Saved:
            // Either another booking won the slot, or a concurrent request with the same key won; the caller tells which.
            return new BookingResult.Taken("Someone has just booked this time. Please choose another slot.");
        }

        outbox.Wake();
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

    public async Task<BookingResult> CancelAsync(ConsultationBooking booking, bool byOwner, CancellationToken cancellationToken)
    {
        if (booking.Status == BookingStatus.Cancelled)
        {
            return new BookingResult.Taken("This booking is already cancelled.");
        }

        if (!byOwner && !CanChange(booking))
        {
            return new BookingResult.Invalid(new() { ["booking"] = [TooLateMessage()] });
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
            OwnerMail(booking, expert, "booking-cancelled", $"Cancelled: {booking.Name} with {expert.Profile.Name}",
                byOwner ? "You cancelled this consultation." : "The client cancelled this consultation."),
        ];
        if (await SaveChangeAsync(mails, expert, cancellationToken) is { } lost)
        {
            return lost;
        }

        outbox.Wake();
        LogCancelled(logger, booking.Id, byOwner);
        return new BookingResult.Cancelled(booking);
    }

    /// <summary>Moves the booking to another free slot; the booking keeps its id and the invitation its UID.</summary>
    public async Task<BookingResult> RescheduleAsync(ConsultationBooking booking, DateTime? newStart, string siteBaseUrl, string token,
        CancellationToken cancellationToken)
    {
        if (!CanChange(booking))
        {
            return new BookingResult.Invalid(new() { ["booking"] = [TooLateMessage()] });
        }

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

        var check = await CheckSlotAsync(expert, start, booking.Id, cancellationToken);
        if (check is not null)
        {
            return check;
        }

        var slot = OfferedAt(expert, start)!.Value;
        booking.StartUtc = slot.StartUtc;
        booking.EndUtc = slot.EndUtc;
        // The day the database counts the booking in moves with it, under the expert's limit of today.
        booking.ExpertDay = SlotCalculator.LocalDate(slot.StartUtc, expert.Zone);
        booking.MaxPerDay = expert.Profile.Availability.MaxPerDay;
        booking.UpdatedUtc = Now;
        booking.Sequence++;
        booking.Revision++;
        var manageUrl = ManageUrl(siteBaseUrl, token);
        EmailDraft[] mails =
        [
            ClientMail(booking, expert, manageUrl, CalendarInvitation.Request, "booking-rescheduled",
                $"New time: your consultation with {expert.Profile.Name}", "Your consultation has moved to a new time. The updated invitation is attached."),
            OwnerMail(booking, expert, "booking-rescheduled", $"Rescheduled: {booking.Name} with {expert.Profile.Name}", "The client moved this consultation."),
        ];
        if (await SaveChangeAsync(mails, expert, cancellationToken) is { } lost)
        {
            return lost;
        }

        outbox.Wake();
        return new BookingResult.Moved(booking, new BookingConfirmation(booking.Id, booking.StartUtc, booking.EndUtc, manageUrl));
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

    /// <summary>The expert takes no more bookings on the day of the chosen time (their <see cref="Availability.MaxPerDay"/>).</summary>
    private static BookingResult.Taken DayFull(BookableExpert expert) =>
        new($"{expert.Profile.Name} is fully booked on that day: {expert.Profile.Availability.MaxPerDay} consultations at most. Please choose a time on another day.")
        {
            Title = "That day is fully booked.",
        };

    private async Task<BookingResult?> CheckSlotAsync(BookableExpert expert, DateTime start, Guid? ignoreBooking, CancellationToken cancellationToken)
    {
        var offered = OfferedAt(expert, start);
        if (offered is null)
        {
            return new BookingResult.Invalid(new()
            {
                ["start"] = [$"{expert.Profile.Name} does not offer a consultation at that time. Choose one of the listed free slots."],
            });
        }

        var busy = await store.BusyAsync(expert.Key, start.AddDays(-1), start.AddDays(1), ignoreBooking, cancellationToken);
        var calendarBusy = await calendars.IntervalsAsync(expert.Key, start.AddDays(-1), start.AddDays(1), cancellationToken);
        var availability = expert.Profile.Availability;
        if (SlotCalculator.Free(availability, [offered.Value], busy, calendarBusy).Count > 0)
        {
            return null;
        }

        // Not free: say whether the time itself is taken or only the day is full.
        return SlotCalculator.Free(availability with { MaxPerDay = int.MaxValue }, [offered.Value], busy, calendarBusy).Count == 0
            ? new BookingResult.Taken("This time is no longer free. Please choose another slot.")
            : DayFull(expert);
    }

    /// <summary>The offered slot starting exactly at <paramref name="start"/>, if there is one.</summary>
    private Slot? OfferedAt(BookableExpert expert, DateTime start)
    {
        var slots = SlotCalculator.Offered(expert.Profile.Availability, start, start.AddTicks(1), Now);
        return slots.Count == 1 && slots[0].StartUtc == start ? slots[0] : null;
    }

    private async Task<BookableExpert> ExpertForAsync(ConsultationBooking booking, CancellationToken cancellationToken) =>
        await FindExpertAsync(booking.ExpertSlug, cancellationToken)
        ?? new BookableExpert(booking.ExpertKey, booking.ExpertSlug, new ExpertProfile { Name = booking.ExpertSlug });

    /// <summary>Saves a change to a booking with its mails; null when it was saved, else what the client is told.</summary>
    private async Task<BookingResult?> SaveChangeAsync(EmailDraft[] mails, BookableExpert expert, CancellationToken cancellationToken) =>
        await store.SaveChangeAsync(mails.Select(outbox.Create), cancellationToken) switch
        {
            BookingSave.Saved => null,
            BookingSave.Changed => new BookingResult.Changed(),
            BookingSave.DayFull => DayFull(expert),
            _ => new BookingResult.Taken("Someone has just booked that time. Please choose another slot."),
        };

    private EmailDraft ClientMail(ConsultationBooking booking, BookableExpert expert, string? manageUrl, string method, string kind, string subject, string opening)
    {
        var settings = emailOptions.CurrentValue;
        var organizer = ParseAddress(expert.Profile.Email) ?? ParseAddress(settings.From)!;
        var clientTime = Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone);
        var expertTime = Describe(booking.StartUtc, booking.EndUtc, expert.Profile.Availability.TimeZone);
        var template = new EmailTemplate(subject)
            .Paragraph($"Hello {booking.Name},")
            .Paragraph(opening)
            .Fact("Expert", expert.Profile.Name)
            .Fact("Your time", clientTime)
            .Fact($"{expert.Profile.Name}'s time", expertTime)
            .Fact("Topic", booking.Topic);
        if (manageUrl is not null)
        {
            template.Paragraph($"Need to change it? You can cancel or move the meeting until {FormatNotice(ChangeMinimumNotice)} before it starts.")
                .Button("Manage your booking", manageUrl);
        }

        var description = $"Consultation with {expert.Profile.Name}: {booking.Topic}\nYour time: {clientTime}\n{expert.Profile.Name}'s time: {expertTime}" +
                          (manageUrl is null ? "" : $"\nManage: {manageUrl}");
        var calendar = CalendarInvitation.Create(new InvitationDetails(
            booking.Id, booking.Sequence, booking.StartUtc, booking.EndUtc,
            $"Consultation with {expert.Profile.Name}", description,
            expert.Profile.Name, organizer.Address, booking.Name, booking.Email, organizer.Domain, Now), method);

        return new EmailDraft(kind, booking.Email, booking.Name, template.Render(_siteName), Calendar: calendar, CalendarMethod: method);
    }

    private EmailDraft OwnerMail(ConsultationBooking booking, BookableExpert expert, string kind, string subject, string opening)
    {
        var settings = emailOptions.CurrentValue;
        var template = new EmailTemplate(subject)
            .Paragraph(opening)
            .Fact("Expert", expert.Profile.Name)
            .Fact("When (UTC)", Describe(booking.StartUtc, booking.EndUtc, "UTC"))
            .Fact("Client's time", Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone))
            .Fact("Name", booking.Name)
            .Fact("E-mail", booking.Email)
            .Fact("Company", booking.Company)
            .Fact("Topic", booking.Topic);
        if (!string.IsNullOrEmpty(booking.Notes))
        {
            template.Quote(booking.Notes);
        }

        return new EmailDraft(kind, settings.OwnerAddress, "Owner", template.Render(_siteName), ReplyTo: booking.Email);
    }

    /// <summary>Signs the mails; read from the site settings whenever an expert is looked up.</summary>
    private string _siteName = "TechNext";

    private string TooLateMessage() =>
        $"Bookings can be changed online until {FormatNotice(ChangeMinimumNotice)} before they start. Please write to us instead.";

    private static string FormatNotice(TimeSpan notice) =>
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
