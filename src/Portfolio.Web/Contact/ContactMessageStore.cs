using System.Globalization;
using Portfolio.Web.Data;
using Portfolio.Web.Email;
using Portfolio.Web.Webhooks;

namespace Portfolio.Web.Contact;

/// <summary>The contact messages' SQL: a message stored with its notification unless it repeats a recent one.</summary>
public sealed class ContactMessageStore(PortfolioDbContext db)
{
    /// <summary>
    /// Stores the message and the owner's notification all or nothing, unless the same text from the same address was
    /// stored since <paramref name="since"/>; returns the id of the message kept (this one's, or the earlier one's).
    /// One command of plain INSERTs (one round trip on PostgreSQL): the duplicate check is the INSERTs' condition, and
    /// the last statement reports what was kept. Through EF's SaveChanges (change tracking, command batching) the write
    /// was a fifth of a message's CPU and most of its allocations; as a query before the INSERTs, the check cost a round
    /// trip and a compiled EF query (9 % of the app's CPU per message on PostgreSQL, in perf). The rows are the same,
    /// and the database checks the same constraints.
    /// </summary>
    public async Task<Guid> StoreUnlessDuplicateAsync(ContactMessage message, DateTime since, EmailOutboxMessage? notification,
        CancellationToken cancellationToken, WebhookEvent? webhookEvent = null)
    {
        List<FormattableString> statements =
        [
            SqlBatch.Append(Insert(message), $"""
                WHERE NOT EXISTS (SELECT 1 FROM "ContactMessages" WHERE "ContentHash" = {message.ContentHash} AND "CreatedUtc" >= {since})
                """),
        ];
        if (notification is not null)
        {
            statements.Add(OutboxStore.Insert(notification, $"""WHERE EXISTS (SELECT 1 FROM "ContactMessages" WHERE "Id" = {message.Id})"""));
        }

        if (webhookEvent is not null)
        {
            // Like the notification: only when this message was stored, not for a repeat.
            statements.Add(WebhookOutbox.Insert(webhookEvent, $"""EXISTS (SELECT 1 FROM "ContactMessages" WHERE "Id" = {message.Id})"""));
        }

        // This message if it was stored, else the earliest of the window. (Two identical messages that race past each
        // other's check are both kept, and each reports itself.)
        statements.Add($"""
            SELECT "Id" FROM "ContactMessages"
            WHERE "Id" = {message.Id} OR ("ContentHash" = {message.ContentHash} AND "CreatedUtc" >= {since})
            ORDER BY CASE WHEN "Id" = {message.Id} THEN 0 ELSE 1 END, "CreatedUtc"
            LIMIT 1
            """);
        return await db.ExecuteAtomicallyAsync(statements, cancellationToken) switch
        {
            Guid id => id,
            string text => Guid.Parse(text, CultureInfo.InvariantCulture), // SQLite keeps a Guid as text
            var other => throw new InvalidOperationException($"The contact message's write selected {other?.GetType().Name ?? "nothing"}."),
        };
    }

    /// <summary>Every column EF maps (<c>StoreInsertTests</c> holds the two together); a SELECT, so a WHERE can follow.</summary>
    internal static FormattableString Insert(ContactMessage message) => $"""
        INSERT INTO "ContactMessages" ("Id", "Name", "Email", "Company", "Subject", "Message", "Status", "SpamReason",
            "Source", "ContentHash", "CreatedUtc", "ReadUtc")
        SELECT {message.Id}, {message.Name}, {message.Email}, {message.Company}, {message.Subject}, {message.Message},
            {(int)message.Status}, {message.SpamReason}, {message.Source}, {message.ContentHash}, {message.CreatedUtc}, {message.ReadUtc}
        """;
}
