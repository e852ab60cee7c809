using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portfolio.Web.Content;
using Portfolio.Web.Data;
using Portfolio.Web.Email;
using Portfolio.Web.Shared;

namespace Portfolio.Web.Booking;

/// <summary>The <c>Booking:Reminders</c> configuration section.</summary>
public sealed class ReminderOptions
{
    /// <summary>What the reminders are when <see cref="Offsets"/> is not set: a day before and an hour before.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultOffsets = [TimeSpan.FromHours(24), TimeSpan.FromHours(1)];

    /// <summary>Whether the background job sends reminders (off: none are sent).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long before the meeting each reminder goes, e.g. <c>["1.00:00:00", "01:00:00"]</c>. Null (not set) means
    /// <see cref="DefaultOffsets"/>: a default list in the initialiser would have the configured values appended to it
    /// by the configuration binder instead of replaced.
    /// </summary>
    public TimeSpan[]? Offsets { get; set; }

    /// <summary>How often the job looks for due reminders; a reminder goes at most this late.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<TimeSpan> EffectiveOffsets => Offsets is { Length: > 0 } offsets ? offsets : DefaultOffsets;

    /// <summary>Offsets from one minute to 30 days, each once, at most five: what start-up validation asks.</summary>
    internal static bool AreValid(IReadOnlyList<TimeSpan> offsets) =>
        offsets.Count <= 5 && offsets.Distinct().Count() == offsets.Count &&
        offsets.All(offset => offset >= TimeSpan.FromMinutes(1) && offset <= TimeSpan.FromDays(30));
}

/// <summary>Who a reminder goes to.</summary>
public static class ReminderRecipient
{
    public const string Client = "client";
    public const string Expert = "expert";
}

/// <summary>
/// A reminder that was queued: one row per booking, meeting time, offset and recipient. Its primary key is what makes
/// a reminder go once: the row is written in the same transaction as the reminder's outbox mail, so a second run (or a
/// second instance at the same moment) fails on the key and queues nothing. The meeting time is part of the key, so a
/// booking that moves gets its reminders again for its new time.
/// </summary>
public sealed class BookingReminder
{
    public Guid BookingId { get; set; }
    /// <summary>The start of the meeting the reminder was about.</summary>
    public DateTime StartUtc { get; set; }
    public int OffsetMinutes { get; set; }
    /// <summary><see cref="ReminderRecipient.Client"/> or <see cref="ReminderRecipient.Expert"/>.</summary>
    public string Recipient { get; set; } = "";
    public DateTime QueuedUtc { get; set; }
}

internal sealed class BookingReminderConfiguration : IEntityTypeConfiguration<BookingReminder>
{
    public void Configure(EntityTypeBuilder<BookingReminder> builder)
    {
        builder.ToTable("BookingReminders");
        builder.HasKey(reminder => new { reminder.BookingId, reminder.StartUtc, reminder.OffsetMinutes, reminder.Recipient });
        builder.Property(reminder => reminder.Recipient).HasMaxLength(10);
        // Deleted with its booking (retention, erasure): it says when someone was reminded of a meeting.
        builder.HasOne<ConsultationBooking>().WithMany().HasForeignKey(reminder => reminder.BookingId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Queues the reminders that are due: for each confirmed booking that starts within the longest offset, the reminder of
/// the smallest offset whose time has come (one missed while no instance ran is superseded by the next, never sent
/// late after it), to the client and to the expert (when their profile has an e-mail address), through the outbox.
/// A reminder whose time came before the booking got its current time (<see cref="ConsultationBooking.ScheduledUtc"/>:
/// booked or moved already inside its window) is not sent. A cancelled booking has none; a moved one has its new
/// time's. The client's reminder carries no manage link (see <see cref="ClientReminder"/>).
/// </summary>
public sealed partial class BookingReminderService(
    PortfolioDbContext db,
    PublishedContentCache content,
    EmailOutbox outbox,
    IOptionsMonitor<BookingOptions> options,
    TimeProvider clock,
    ILogger<BookingReminderService> logger)
{
    /// <summary>Queues every reminder due now; returns how many mails it queued.</summary>
    public async Task<int> QueueDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var offsets = options.CurrentValue.Reminders.EffectiveOffsets;
        var until = now + offsets.Max();
        var bookings = await db.Bookings.AsNoTracking()
            .Where(booking => booking.Status == BookingStatus.Confirmed && booking.StartUtc > now && booking.StartUtc <= until)
            .OrderBy(booking => booking.StartUtc)
            .ToListAsync(cancellationToken);
        if (bookings.Count == 0)
        {
            return 0;
        }

        var ids = bookings.Select(booking => booking.Id).ToList();
        var done = (await db.BookingReminders.AsNoTracking().Where(reminder => ids.Contains(reminder.BookingId))
                .Select(reminder => new { reminder.BookingId, reminder.StartUtc, reminder.OffsetMinutes, reminder.Recipient })
                .ToListAsync(cancellationToken))
            .Select(reminder => (reminder.BookingId, DateTime.SpecifyKind(reminder.StartUtc, DateTimeKind.Utc), reminder.OffsetMinutes, reminder.Recipient))
            .ToHashSet();
        var snapshot = await content.GetAsync(cancellationToken);
        var siteName = snapshot.Singleton<SiteSettings>()?.SiteName ?? "TechNext";
        var experts = snapshot.List<ExpertProfile>().ToDictionary(item => item.Key, item => (ExpertProfile)item.Document);

        var queued = 0;
        foreach (var booking in bookings)
        {
            var offset = offsets.Where(offset => booking.StartUtc - offset <= now).Min();
            if (booking.StartUtc - offset < booking.ScheduledUtc)
            {
                continue; // Booked or moved inside this reminder's window: the confirmation was the reminder.
            }

            var expert = experts.GetValueOrDefault(booking.ExpertKey) ?? new ExpertProfile { Name = booking.ExpertSlug };
            var minutes = (int)offset.TotalMinutes;
            var recipients = string.IsNullOrWhiteSpace(expert.Email) ? [ReminderRecipient.Client] : new[] { ReminderRecipient.Client, ReminderRecipient.Expert };
            foreach (var recipient in recipients)
            {
                if (done.Contains((booking.Id, booking.StartUtc, minutes, recipient)))
                {
                    continue;
                }

                var draft = recipient == ReminderRecipient.Client
                    ? ClientReminder(booking, expert, now, siteName)
                    : ExpertReminder(booking, expert, siteName);
                if (await TryQueueAsync(booking, minutes, recipient, draft, now, cancellationToken))
                {
                    queued++;
                    LogQueued(logger, booking.Id, recipient, minutes);
                }
            }
        }

        if (queued > 0)
        {
            outbox.Wake();
        }

        return queued;
    }

    /// <summary>
    /// The reminder's row and its mail in one transaction; false when the row is there already (another run, or another
    /// instance, queued this reminder meanwhile): then neither is stored.
    /// </summary>
    private async Task<bool> TryQueueAsync(ConsultationBooking booking, int minutes, string recipient, EmailDraft draft, DateTime now,
        CancellationToken cancellationToken)
    {
        db.BookingReminders.Add(new BookingReminder
        {
            BookingId = booking.Id,
            StartUtc = booking.StartUtc,
            OffsetMinutes = minutes,
            Recipient = recipient,
            QueuedUtc = now,
        });
        db.EmailOutbox.Add(outbox.Create(draft));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsConflict(exception) || DatabaseErrors.IsForeignKeyViolation(exception))
        {
            // The key: queued by someone else. The foreign key: the booking was deleted meanwhile (erasure).
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// The client's reminder. It carries no manage link: the booking keeps only the hash of the link's token, so a link
    /// here would need a fresh token, which would silently break the link in the confirmation mail the client already
    /// has (and one more mail would hold a working bearer secret). The reminder points to that mail instead.
    /// </summary>
    private EmailDraft ClientReminder(ConsultationBooking booking, ExpertProfile expert, DateTime now, string siteName)
    {
        var notice = options.CurrentValue.ChangeMinimumNotice;
        var template = new EmailTemplate($"Reminder: your consultation with {expert.Name}")
            .Paragraph($"Hello {booking.Name},")
            .Paragraph("This is a reminder of your consultation.")
            .Fact("Expert", expert.Name)
            .Fact("Your time", BookingService.Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone))
            .Fact($"{expert.Name}'s time", BookingService.Describe(booking.StartUtc, booking.EndUtc, expert.Availability.TimeZone))
            .Fact("Topic", booking.Topic)
            .Paragraph(booking.StartUtc - now >= notice
                ? $"Need to change it? The link in your confirmation e-mail lets you move or cancel the meeting until {BookingService.FormatNotice(notice)} before it starts."
                : "Need to change it? It is too close to the meeting to change it online: please write to us.");
        return new EmailDraft("booking-reminder", booking.Email, booking.Name, template.Render(siteName));
    }

    /// <summary>The expert's reminder: the client's booking as the owner's notification shows it, never the owner's private note.</summary>
    private static EmailDraft ExpertReminder(ConsultationBooking booking, ExpertProfile expert, string siteName)
    {
        var template = new EmailTemplate($"Reminder: consultation with {booking.Name}")
            .Paragraph($"Hello {expert.Name},")
            .Paragraph("This is a reminder of your consultation.")
            .Fact("Your time", BookingService.Describe(booking.StartUtc, booking.EndUtc, expert.Availability.TimeZone))
            .Fact("Client's time", BookingService.Describe(booking.StartUtc, booking.EndUtc, booking.ClientTimeZone))
            .Fact("Client", booking.Name)
            .Fact("E-mail", booking.Email)
            .Fact("Company", booking.Company)
            .Fact("Topic", booking.Topic);
        if (!string.IsNullOrEmpty(booking.Notes))
        {
            template.Quote(booking.Notes);
        }

        // Reply-To the client, as the owner's notifications: and so an erasure of the client's data finds this mail too.
        return new EmailDraft("booking-reminder-expert", expert.Email, expert.Name, template.Render(siteName), ReplyTo: booking.Email);
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Reminder for booking {BookingId} queued to the {Recipient}, {OffsetMinutes} min before")]
    private static partial void LogQueued(ILogger logger, Guid bookingId, string recipient, int offsetMinutes);
}

/// <summary>Runs <see cref="BookingReminderService"/> every <see cref="ReminderOptions.Interval"/>, on the app's clock.</summary>
public sealed partial class BookingReminderJob(IServiceScopeFactory scopes, SharedJobLock jobLock, IOptionsMonitor<BookingOptions> options, TimeProvider clock,
    ILogger<BookingReminderJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.Reminders.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        // A run that fails (the database briefly unavailable, or not migrated yet) is tried again at the next tick.
        // One instance at a time across instances (SharedJobLock), so a reminder is queued once.
        await PeriodicWork.RunAsync(options.CurrentValue.Reminders.Interval, clock, cancellationToken => jobLock.RunAloneAsync("booking-reminders", async token =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BookingReminderService>().QueueDueAsync(token);
        }, cancellationToken), exception => LogFailed(logger, exception), stoppingToken);
    }

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "Booking reminders disabled (Booking:Reminders:Enabled is false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "Booking reminder run failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
