using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;
using Portfolio.Web.Email;
using Portfolio.Web.Shared;
using Portfolio.Web.Webhooks;

namespace Portfolio.Web.Privacy;

/// <summary>The <c>Retention</c> configuration section: how long personal data is kept.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Whether the background job removes old data (turn off to keep everything, e.g. under a legal hold).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Contact messages older than this many days are deleted, whatever their state.</summary>
    [Range(1, 36500)]
    public int MessagesDays { get; set; } = 365;

    /// <summary>Bookings that ended more than this many days ago are deleted; upcoming ones never are.</summary>
    [Range(1, 36500)]
    public int BookingsDays { get; set; } = 365;

    /// <summary>
    /// Answers kept for a retried booking's <c>Idempotency-Key</c> are deleted after this many hours (as Stripe keeps
    /// keys for a day): a client retries within minutes, and the table would otherwise only grow.
    /// </summary>
    [Range(1, 8760)]
    public int IdempotencyKeysHours { get; set; } = 24;

    /// <summary>
    /// Webhook deliveries that are finished (delivered or dead) are deleted, with their attempts, after this many days:
    /// the administrator looks at recent ones, and every booking and publish adds one per subscribed webhook.
    /// </summary>
    [Range(1, 36500)]
    public int WebhookDeliveriesDays { get; set; } = 30;

    /// <summary>How often the job looks for data past its age.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}

[OptionsValidator]
public sealed partial class RetentionOptionsValidator : IValidateOptions<RetentionOptions>;

/// <summary>What one retention run (or one erasure) removed.</summary>
public sealed record RemovedData(int Messages, int Bookings, int Mails)
{
    public int Total => Messages + Bookings + Mails;
}

/// <summary>
/// Deletes personal data past its age: contact messages, bookings that are over, and the outbox copies of the
/// mails about them once they are finished with (sent or dead). Mails about messages age with
/// <see cref="RetentionOptions.MessagesDays"/>, all others with <see cref="RetentionOptions.BookingsDays"/>.
/// Waiting mail is never deleted. Runs from <see cref="RetentionJob"/>; tests call it directly.
/// </summary>
public sealed partial class RetentionService(PortfolioDbContext db, AuditLog audit, IOptionsMonitor<RetentionOptions> options, TimeProvider clock,
    ILogger<RetentionService> logger)
{
    /// <summary>Rows deleted per statement, so one run never holds the database for long.</summary>
    private const int Batch = 500;

    public async Task<RemovedData> ApplyAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow().UtcDateTime;
        var messagesBefore = now.AddDays(-settings.MessagesDays);
        var bookingsBefore = now.AddDays(-settings.BookingsDays);

        var messages = await DeleteInBatchesAsync(db.ContactMessages.Where(message => message.CreatedUtc < messagesBefore)
            .Select(message => message.Id), ids => db.ContactMessages.Where(message => ids.Contains(message.Id)), cancellationToken);
        // A booking's own end decides, not when it was made: an upcoming meeting booked long ago stays.
        var bookings = await DeleteInBatchesAsync(db.Bookings.Where(booking => booking.EndUtc < bookingsBefore)
            .Select(booking => booking.Id), ids => db.Bookings.Where(booking => ids.Contains(booking.Id)), cancellationToken);
        var finished = new[] { EmailStatus.Sent, EmailStatus.Dead };
        var mails = await DeleteInBatchesAsync(db.EmailOutbox
            .Where(mail => finished.Contains(mail.Status) &&
                           (mail.Kind.StartsWith("contact") ? mail.CreatedUtc < messagesBefore : mail.CreatedUtc < bookingsBefore))
            .Select(mail => mail.Id), ids => db.EmailOutbox.Where(mail => ids.Contains(mail.Id)), cancellationToken);

        await ForgetSentManageLinksAsync(cancellationToken);

        // Not personal data (the answer holds the booking's id and its encrypted link), so not counted in RemovedData.
        var keysBefore = now.AddHours(-settings.IdempotencyKeysHours);
        await db.IdempotentRequests.Where(request => request.CreatedUtc < keysBefore).ExecuteDeleteAsync(cancellationToken);

        // Not personal data either (payloads leave the client out); waiting deliveries are never deleted. Their
        // attempts go with them (ON DELETE CASCADE).
        var deliveriesBefore = now.AddDays(-settings.WebhookDeliveriesDays);
        await DeleteInBatchesAsync(db.WebhookDeliveries
            .Where(delivery => delivery.Status != WebhookDeliveryStatus.Pending && delivery.CreatedUtc < deliveriesBefore)
            .Select(delivery => delivery.Id), ids => db.WebhookDeliveries.Where(delivery => ids.Contains(delivery.Id)), cancellationToken);

        var removed = new RemovedData(messages, bookings, mails);
        if (removed.Total > 0)
        {
            await audit.RecordAsync(OwnerAudit.RetentionApplied, OwnerAudit.Retention, null,
                details: $"Removed {messages} message(s), {bookings} booking(s), {mails} mail(s) past their age", actor: AuditActor.System,
                cancellationToken: cancellationToken);
            LogRemoved(logger, messages, bookings, mails);
        }

        return removed;
    }

    /// <summary>
    /// Mails sent before the dispatcher forgot manage links at sending still hold a working link in their stored copy:
    /// they get the same redaction now, a batch at a time. A redacted link reads <c>/bookings/manage/{token}</c>, so
    /// a mail done once is not picked again.
    /// </summary>
    private async Task ForgetSentManageLinksAsync(CancellationToken cancellationToken)
    {
        const string link = "/bookings/manage/";
        const string redacted = "/bookings/manage/{token}";
        while (true)
        {
            var mails = await db.EmailOutbox
                .Where(mail => mail.Status == EmailStatus.Sent && mail.TextBody.Contains(link) && !mail.TextBody.Contains(redacted))
                .OrderBy(mail => mail.Id).Take(Batch).ToListAsync(cancellationToken);
            if (mails.Count == 0)
            {
                return;
            }

            mails.ForEach(EmailDispatcher.ForgetManageLinks);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    private async Task<int> DeleteInBatchesAsync<TEntity, TKey>(IQueryable<TKey> due, Func<List<TKey>, IQueryable<TEntity>> rows,
        CancellationToken cancellationToken)
        where TEntity : class
    {
        var total = 0;
        while (true)
        {
            // Ordered by the key (its index): batches are deterministic, and EF does not warn about a Take without one
            // at every start.
            var ids = await due.OrderBy(id => id).Take(Batch).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return total;
            }

            total += await rows(ids).ExecuteDeleteAsync(cancellationToken);
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information,
        Message = "Retention removed {Messages} message(s), {Bookings} booking(s) and {Mails} mail(s) past their age")]
    private static partial void LogRemoved(ILogger logger, int messages, int bookings, int mails);
}

/// <summary>Runs <see cref="RetentionService"/> now and then (<see cref="RetentionOptions.Interval"/>), on the app's clock.</summary>
public sealed partial class RetentionJob(IServiceScopeFactory scopes, SharedJobLock jobLock, IOptionsMonitor<RetentionOptions> options, TimeProvider clock,
    ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        // A run that fails (the database briefly unavailable, or not migrated yet) is tried again at the next tick.
        // One instance at a time across instances (SharedJobLock).
        await PeriodicWork.RunAsync(options.CurrentValue.Interval, clock, cancellationToken => jobLock.RunAloneAsync("retention", async token =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RetentionService>().ApplyAsync(token);
        }, cancellationToken), exception => LogFailed(logger, exception), stoppingToken);
    }

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Retention job disabled (Retention:Enabled is false): old messages and bookings are kept")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Retention run failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
