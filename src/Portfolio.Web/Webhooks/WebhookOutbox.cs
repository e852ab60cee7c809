using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Web.Webhooks;

/// <summary>
/// Queues an event for every enabled webhook subscribed to its type, inside the write that caused it, so the change and
/// its deliveries commit (or not) together: <see cref="Insert"/> for the write paths made of plain statements (a new
/// booking, a contact message), <see cref="StageAsync"/> for those that save through EF's change tracker (a booking
/// moved or cancelled, publishing). Call <see cref="Wake"/> after the commit.
/// </summary>
public sealed class WebhookOutbox(WebhookDispatchSignal signal)
{
    /// <summary>
    /// One INSERT … SELECT that makes a delivery of the event for each enabled, subscribed webhook (none when there is
    /// none: no read before the write, and no round trip more on PostgreSQL, where the batch is one command). With a
    /// <c>where</c> condition (for example: the message it reports was stored) only when that holds at its point of the batch.
    /// </summary>
    public static FormattableString Insert(WebhookEvent webhookEvent, FormattableString? where = null)
    {
        var pending = (int)WebhookDeliveryStatus.Pending;
        var subscribed = $"%,{webhookEvent.Type},%";
        var occurred = webhookEvent.OccurredUtc;
        FormattableString insert = $"""
            INSERT INTO "WebhookDeliveries" ("WebhookId", "EventId", "EventType", "Payload", "Status", "Attempts", "CreatedUtc", "NextAttemptUtc")
            SELECT "Id", {webhookEvent.Id}, {webhookEvent.Type}, {webhookEvent.Payload}, {pending}, 0, {occurred}, {occurred}
            FROM "Webhooks" WHERE "Enabled" = {true} AND "Events" LIKE {subscribed}
            """;
        return where is null ? insert : SqlBatch.Append(insert, SqlBatch.Append($"AND", where));
    }

    /// <summary>
    /// Adds a delivery of the event for each enabled, subscribed webhook to the context's change tracker: the caller's
    /// SaveChanges stores them with its own change (and a failed save, cleared, drops them with it).
    /// </summary>
    public static async Task StageAsync(PortfolioDbContext db, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        var subscribed = $",{webhookEvent.Type},";
        var webhooks = await db.Set<Webhook>().AsNoTracking()
            .Where(webhook => webhook.Enabled && webhook.Events.Contains(subscribed))
            .Select(webhook => webhook.Id)
            .ToListAsync(cancellationToken);
        foreach (var webhookId in webhooks)
        {
            db.Set<WebhookDelivery>().Add(NewDelivery(webhookId, webhookEvent));
        }
    }

    internal static WebhookDelivery NewDelivery(Guid webhookId, WebhookEvent webhookEvent) => new()
    {
        WebhookId = webhookId,
        EventId = webhookEvent.Id,
        EventType = webhookEvent.Type,
        Payload = webhookEvent.Payload,
        Status = WebhookDeliveryStatus.Pending,
        CreatedUtc = webhookEvent.OccurredUtc,
        NextAttemptUtc = webhookEvent.OccurredUtc,
    };

    /// <summary>Tells the dispatcher that committed deliveries may be waiting.</summary>
    public void Wake() => signal.Wake();
}

/// <summary>Wakes the webhook dispatcher after a commit.</summary>
public sealed class WebhookDispatchSignal : WakeSignal;
