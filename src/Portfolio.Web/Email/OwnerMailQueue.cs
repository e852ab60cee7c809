using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;

namespace Portfolio.Web.Email;

/// <summary>
/// The states the owner sees. The outbox itself knows Pending, Sent and Dead; "failed" is a pending mail that
/// has failed at least once and waits for its next attempt.
/// </summary>
public enum MailQueueState
{
    Pending,
    Failed,
    Dead,
    Sent,
}

/// <summary>How many mails are in each state.</summary>
public sealed record MailQueueCounts(int Pending, int Failed, int Dead, int Sent)
{
    public int Of(MailQueueState state) => state switch
    {
        MailQueueState.Pending => Pending,
        MailQueueState.Failed => Failed,
        MailQueueState.Dead => Dead,
        _ => Sent,
    };
}

/// <summary>A row of the queue view.</summary>
public sealed record MailLine(
    long Id, string Kind, string ToAddress, string Subject, EmailStatus Status, int Attempts, DateTime CreatedUtc,
    DateTime NextAttemptUtc, DateTime? SentUtc, string? LastError)
{
    public MailQueueState State => OwnerMailQueue.StateOf(Status, Attempts);
}

/// <summary>
/// The mail outbox as the owner sees it: mails by state with attempts and the last error, one mail's attempt
/// history, and "retry now" for a failed or dead mail (due at once, and the dispatcher is woken).
/// </summary>
public sealed class OwnerMailQueue(PortfolioDbContext db, EmailOutbox outbox, AuditLog audit, TimeProvider clock)
{
    public const int PageSize = 25;

    public static MailQueueState StateOf(EmailStatus status, int attempts) => status switch
    {
        EmailStatus.Sent => MailQueueState.Sent,
        EmailStatus.Dead => MailQueueState.Dead,
        _ => attempts > 0 ? MailQueueState.Failed : MailQueueState.Pending,
    };

    public async Task<MailQueueCounts> CountsAsync(CancellationToken cancellationToken)
    {
        var rows = await db.EmailOutbox.AsNoTracking()
            .GroupBy(mail => new { mail.Status, Failed = mail.Attempts > 0 })
            .Select(group => new { group.Key.Status, group.Key.Failed, Count = group.Count() })
            .ToListAsync(cancellationToken);
        int Count(Func<EmailStatus, bool, bool> match) => rows.Where(row => match(row.Status, row.Failed)).Sum(row => row.Count);
        return new MailQueueCounts(
            Count((status, failed) => status == EmailStatus.Pending && !failed),
            Count((status, failed) => status == EmailStatus.Pending && failed),
            Count((status, _) => status == EmailStatus.Dead),
            Count((status, _) => status == EmailStatus.Sent));
    }

    /// <summary>Mails in one state: waiting ones in the order they will go, finished ones newest first.</summary>
    public async Task<PagedList<MailLine>> ListAsync(MailQueueState state, int page, CancellationToken cancellationToken)
    {
        var query = db.EmailOutbox.AsNoTracking();
        query = state switch
        {
            MailQueueState.Pending => query.Where(mail => mail.Status == EmailStatus.Pending && mail.Attempts == 0),
            MailQueueState.Failed => query.Where(mail => mail.Status == EmailStatus.Pending && mail.Attempts > 0),
            MailQueueState.Dead => query.Where(mail => mail.Status == EmailStatus.Dead),
            _ => query.Where(mail => mail.Status == EmailStatus.Sent),
        };
        var total = await query.CountAsync(cancellationToken);
        var ordered = state is MailQueueState.Pending or MailQueueState.Failed
            ? query.OrderBy(mail => mail.NextAttemptUtc).ThenBy(mail => mail.Id)
            : query.OrderByDescending(mail => mail.Id);
        var items = await ordered.Skip((page - 1) * PageSize).Take(PageSize)
            .Select(mail => new MailLine(mail.Id, mail.Kind, mail.ToAddress, mail.Subject, mail.Status, mail.Attempts, mail.CreatedUtc,
                mail.NextAttemptUtc, mail.SentUtc, mail.LastError))
            .ToListAsync(cancellationToken);
        // Errors are stored without manage tokens since finding 5 of issue 13; older rows may still quote one.
        items = items.Select(line => line.LastError is { } error ? line with { LastError = ManageLinks.Redact(error) } : line).ToList();
        return new PagedList<MailLine>(items, page, PageSize, total);
    }

    /// <summary>
    /// One mail with every delivery attempt, oldest first, as the owner may see it: without the token of a booking's manage
    /// link (<see cref="ManageLinks"/>), which a mail waiting to be sent (or dead) still holds for the client. The owner
    /// needs to see that the link was there, not to be able to use it.
    /// </summary>
    public async Task<EmailOutboxMessage?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var mail = await db.EmailOutbox.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (mail is not null)
        {
            mail.DeliveryAttempts = await db.EmailDeliveryAttempts.AsNoTracking()
                .Where(attempt => attempt.EmailId == id).OrderBy(attempt => attempt.Number).ToListAsync(cancellationToken);
            mail.TextBody = ManageLinks.Redact(mail.TextBody);
            mail.HtmlBody = ManageLinks.Redact(mail.HtmlBody);
            mail.Calendar = mail.Calendar is null ? null : ManageLinks.RedactCalendar(mail.Calendar);
            mail.LastError = mail.LastError is null ? null : ManageLinks.Redact(mail.LastError);
            foreach (var attempt in mail.DeliveryAttempts)
            {
                attempt.Error = attempt.Error is null ? null : ManageLinks.Redact(attempt.Error);
            }
        }

        return mail;
    }

    /// <summary>
    /// Makes a failed or dead mail due now and wakes the dispatcher. A dead mail gets one more attempt (its count
    /// goes on from where it was, so the history stays whole); failing again makes it dead again.
    /// A mail a dispatcher holds right now is left alone: its outcome is about to be recorded.
    /// </summary>
    public async Task<bool> RetryNowAsync(long id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var mail = await db.EmailOutbox.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (mail is null || StateOf(mail.Status, mail.Attempts) is not (MailQueueState.Failed or MailQueueState.Dead) ||
            mail.LockedUntilUtc > now)
        {
            return false;
        }

        audit.Add(OwnerAudit.MailRetried, OwnerAudit.Mail, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            details: $"{mail.Kind}, was {StateOf(mail.Status, mail.Attempts)} after {mail.Attempts} attempt(s)");
        mail.Status = EmailStatus.Pending;
        mail.NextAttemptUtc = now;
        mail.LockedUntilUtc = null;
        mail.LockedBy = null;
        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        return true;
    }
}
