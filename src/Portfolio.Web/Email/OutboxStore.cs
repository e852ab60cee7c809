using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Email;

/// <summary>
/// The outbox's SQL: how a mail is stored (also inside other aggregates' writes, see <see cref="Insert"/>), claimed
/// by a dispatcher, leased, and how its outcome is recorded. The provider differences of the outbox live here.
/// </summary>
public sealed class OutboxStore(PortfolioDbContext db)
{
    /// <summary>
    /// The INSERT that stores a mail, for write paths that bypass SaveChanges (<see cref="PortfolioDbContext.ExecuteAtomicallyAsync"/>):
    /// every column EF maps but the generated id (<c>OutboxStoreTests</c> holds the two together). With a <c>where</c>
    /// clause (for example: the message it reports on was stored) the mail is stored only when that holds at its point
    /// of the batch.
    /// </summary>
    public static FormattableString Insert(EmailOutboxMessage mail, FormattableString? where = null)
    {
        FormattableString insert = $"""
            INSERT INTO "EmailOutbox" ("MessageId", "ToAddress", "ToName", "ReplyTo", "Subject", "TextBody", "HtmlBody",
                "Calendar", "CalendarMethod", "Kind", "Status", "Attempts", "CreatedUtc", "NextAttemptUtc",
                "LockedUntilUtc", "LockedBy", "SentUtc", "LastError")
            SELECT {mail.MessageId}, {mail.ToAddress}, {mail.ToName}, {mail.ReplyTo}, {mail.Subject}, {mail.TextBody}, {mail.HtmlBody},
                {mail.Calendar}, {mail.CalendarMethod}, {mail.Kind}, {(int)mail.Status}, {mail.Attempts}, {mail.CreatedUtc}, {mail.NextAttemptUtc},
                {mail.LockedUntilUtc}, {mail.LockedBy}, {mail.SentUtc}, {mail.LastError}
            """;
        return where is null ? insert : SqlBatch.Append(insert, where);
    }

    /// <summary>
    /// Leases up to <paramref name="batch"/> due mails to <paramref name="instance"/> until <paramref name="leaseUntil"/>
    /// and returns their ids, oldest due first. On PostgreSQL rows that another instance is claiming are skipped
    /// (<c>FOR UPDATE SKIP LOCKED</c>), so several dispatchers share the queue; SQLite has one writer at a time anyway.
    /// </summary>
    public async Task<List<long>> ClaimAsync(string instance, DateTime now, DateTime leaseUntil, int batch, CancellationToken cancellationToken)
    {
        var pending = (int)EmailStatus.Pending;
        // Parameterised raw SQL: EF cannot express UPDATE … RETURNING with row locks.
        var ids = db is PostgresPortfolioDbContext
            ? db.Database.SqlQuery<long>($"""
                UPDATE "EmailOutbox" SET "LockedUntilUtc" = {leaseUntil}, "LockedBy" = {instance}
                WHERE "Id" IN (
                    SELECT "Id" FROM "EmailOutbox"
                    WHERE "Status" = {pending} AND "NextAttemptUtc" <= {now}
                      AND ("LockedUntilUtc" IS NULL OR "LockedUntilUtc" < {now})
                    ORDER BY "NextAttemptUtc", "Id"
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """)
            : db.Database.SqlQuery<long>($"""
                UPDATE "EmailOutbox" SET "LockedUntilUtc" = {leaseUntil}, "LockedBy" = {instance}
                WHERE "Id" IN (
                    SELECT "Id" FROM "EmailOutbox"
                    WHERE "Status" = {pending} AND "NextAttemptUtc" <= {now}
                      AND ("LockedUntilUtc" IS NULL OR "LockedUntilUtc" < {now})
                    ORDER BY "NextAttemptUtc", "Id"
                    LIMIT {batch})
                RETURNING "Id" AS "Value"
                """);
        return await ids.AsAsyncEnumerable().ToListAsync(cancellationToken);
    }

    /// <summary>Extends the lease of a mail this instance still holds; false when the lease went to someone else.</summary>
    public async Task<bool> RenewLeaseAsync(long id, string instance, DateTime leaseUntil, CancellationToken cancellationToken) =>
        await db.EmailOutbox
            .Where(m => m.Id == id && m.LockedBy == instance && m.Status == EmailStatus.Pending)
            .ExecuteUpdateAsync(update => update.SetProperty(m => m.LockedUntilUtc, leaseUntil), cancellationToken) == 1;

    /// <summary>The mail, if this instance holds its lease.</summary>
    public Task<EmailOutboxMessage?> FindLeasedAsync(long id, string instance, CancellationToken cancellationToken) =>
        db.EmailOutbox.SingleOrDefaultAsync(m => m.Id == id && m.LockedBy == instance, cancellationToken);

    /// <summary>Writes an attempt and the mail's new state (found by <see cref="FindLeasedAsync"/>) together.</summary>
    public async Task RecordAttemptAsync(EmailDeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        db.EmailDeliveryAttempts.Add(attempt);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>How many mails wait (retries included) and since when the oldest does; one round trip.</summary>
    public async Task<(long Queued, DateTime? OldestCreatedUtc)> FiguresAsync(CancellationToken cancellationToken)
    {
        // No row at all when nothing is queued.
        var figures = await db.EmailOutbox.Where(mail => mail.Status == EmailStatus.Pending)
            .GroupBy(_ => 1)
            .Select(queued => new { Count = queued.LongCount(), Oldest = queued.Min(mail => (DateTime?)mail.CreatedUtc) })
            .SingleOrDefaultAsync(cancellationToken);
        return (figures?.Count ?? 0, figures?.Oldest);
    }

    /// <summary>
    /// Gives back the leases <paramref name="instance"/> holds on mails it has not sent (a graceful stop), so that another
    /// instance, or this one after its restart, sends them now rather than when the lease runs out.
    /// </summary>
    public Task<int> ReleaseAsync(string instance, CancellationToken cancellationToken) =>
        db.EmailOutbox.Where(m => m.LockedBy == instance && m.Status == EmailStatus.Pending)
            .ExecuteUpdateAsync(update => update.SetProperty(m => m.LockedUntilUtc, (DateTime?)null).SetProperty(m => m.LockedBy, (string?)null),
                cancellationToken);

    /// <summary>Makes the given mails due now (their last attempt failed only because the server was away), if still pending.</summary>
    public Task<int> DueNowAsync(IReadOnlyCollection<long> ids, DateTime now, CancellationToken cancellationToken) =>
        db.EmailOutbox.Where(m => ids.Contains(m.Id) && m.Status == EmailStatus.Pending && m.NextAttemptUtc > now)
            .ExecuteUpdateAsync(update => update.SetProperty(m => m.NextAttemptUtc, now), cancellationToken);

    /// <summary>What readiness looks at: the queue (as <see cref="FiguresAsync"/>) and how many mails are dead.</summary>
    public async Task<(long Queued, DateTime? OldestCreatedUtc, long Dead)> HealthFiguresAsync(CancellationToken cancellationToken)
    {
        var (queued, oldest) = await FiguresAsync(cancellationToken);
        var dead = await db.EmailOutbox.LongCountAsync(mail => mail.Status == EmailStatus.Dead, cancellationToken);
        return (queued, oldest, dead);
    }
}
