using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Webhooks;

/// <summary>
/// The deliveries' SQL for the dispatcher: claimed with a lease, as the mail outbox's are (<see cref="Email.OutboxStore"/>),
/// and each attempt recorded with the delivery's new state.
/// </summary>
public sealed class WebhookStore(PortfolioDbContext db)
{
    /// <summary>
    /// Leases up to <paramref name="batch"/> due deliveries to <paramref name="instance"/>, oldest due first. On PostgreSQL
    /// rows another instance is claiming are skipped (<c>FOR UPDATE SKIP LOCKED</c>); SQLite has one writer at a time.
    /// </summary>
    public async Task<List<long>> ClaimAsync(string instance, DateTime now, DateTime leaseUntil, int batch, CancellationToken cancellationToken)
    {
        var pending = (int)WebhookDeliveryStatus.Pending;
        // Parameterised raw SQL: EF cannot express UPDATE … RETURNING with row locks.
        var ids = db is PostgresPortfolioDbContext
            ? db.Database.SqlQuery<long>($"""
                UPDATE "WebhookDeliveries" SET "LockedUntilUtc" = {leaseUntil}, "LockedBy" = {instance}
                WHERE "Id" IN (
                    SELECT "Id" FROM "WebhookDeliveries"
                    WHERE "Status" = {pending} AND "NextAttemptUtc" <= {now}
                      AND ("LockedUntilUtc" IS NULL OR "LockedUntilUtc" < {now})
                    ORDER BY "NextAttemptUtc", "Id"
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """)
            : db.Database.SqlQuery<long>($"""
                UPDATE "WebhookDeliveries" SET "LockedUntilUtc" = {leaseUntil}, "LockedBy" = {instance}
                WHERE "Id" IN (
                    SELECT "Id" FROM "WebhookDeliveries"
                    WHERE "Status" = {pending} AND "NextAttemptUtc" <= {now}
                      AND ("LockedUntilUtc" IS NULL OR "LockedUntilUtc" < {now})
                    ORDER BY "NextAttemptUtc", "Id"
                    LIMIT {batch})
                RETURNING "Id" AS "Value"
                """);
        return await ids.AsAsyncEnumerable().ToListAsync(cancellationToken);
    }

    /// <summary>Extends the lease of a delivery this instance still holds; false when it went to someone else.</summary>
    public async Task<bool> RenewLeaseAsync(long id, string instance, DateTime leaseUntil, CancellationToken cancellationToken) =>
        await db.Set<WebhookDelivery>()
            .Where(d => d.Id == id && d.LockedBy == instance && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(update => update.SetProperty(d => d.LockedUntilUtc, leaseUntil), cancellationToken) == 1;

    /// <summary>The delivery (tracked) and its webhook, if this instance holds the lease.</summary>
    public async Task<(WebhookDelivery Delivery, Webhook Webhook)?> FindLeasedAsync(long id, string instance, CancellationToken cancellationToken)
    {
        var delivery = await db.Set<WebhookDelivery>().SingleOrDefaultAsync(d => d.Id == id && d.LockedBy == instance, cancellationToken);
        if (delivery is null)
        {
            return null;
        }

        var webhook = await db.Set<Webhook>().AsNoTracking().SingleAsync(w => w.Id == delivery.WebhookId, cancellationToken);
        return (delivery, webhook);
    }

    /// <summary>Writes an attempt and the delivery's new state together.</summary>
    public async Task RecordAttemptAsync(WebhookDeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        db.Set<WebhookDeliveryAttempt>().Add(attempt);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Gives back the leases <paramref name="instance"/> holds on deliveries it has not posted (a graceful stop).</summary>
    public Task<int> ReleaseAsync(string instance, CancellationToken cancellationToken) =>
        db.Set<WebhookDelivery>().Where(d => d.LockedBy == instance && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(update => update.SetProperty(d => d.LockedUntilUtc, (DateTime?)null).SetProperty(d => d.LockedBy, (string?)null),
                cancellationToken);
}
