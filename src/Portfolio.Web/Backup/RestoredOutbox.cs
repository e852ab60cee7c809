using System.Data.Common;
using System.Globalization;
using Portfolio.Web.Email;

namespace Portfolio.Web.Backup;

/// <summary>
/// What a restore does to the mail outbox, so that no mail goes out twice. A mail that was waiting (or being sent)
/// when the backup was made has most likely gone out since, from the site the backup was taken of; the restored copy
/// cannot know. Every such mail is held: marked dead, with a <see cref="EmailOutboxMessage.LastError"/> that says why,
/// for the owner to release with <i>Retry now</i> in the mail queue (or delete) after checking. Sent mails are rows
/// marked sent and never go again anyway. The dead state (rather than a new one) is what the queue view, readiness
/// (<c>Health:MaxDeadMails</c>: Degraded until the owner looked) and retention already know.
/// </summary>
public static class RestoredOutbox
{
    public const string HeldNotePrefix = "Held by a restore";

    /// <summary>Holds every pending mail and webhook delivery in the database behind <paramref name="connection"/>; returns how many.</summary>
    public static async Task<int> HoldAsync(DbConnection connection, DateTime backupCreatedUtc, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE "EmailOutbox" SET "Status" = @dead, "LockedUntilUtc" = NULL, "LockedBy" = NULL, "LastError" = @note
            WHERE "Status" = @pending
            """;
        AddParameter(command, "dead", (int)EmailStatus.Dead);
        AddParameter(command, "pending", (int)EmailStatus.Pending);
        AddParameter(command, "note", HeldNotePrefix + " of the backup made " +
            backupCreatedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) +
            " UTC: it was waiting then and may have been sent since. If the recipient did not get it, choose Retry now.");
        var held = await command.ExecuteNonQueryAsync(cancellationToken);
        return held + await HoldWebhookDeliveriesAsync(connection, backupCreatedUtc, cancellationToken);
    }

    /// <summary>
    /// The same for outgoing webhooks (Webhooks/): a delivery waiting at backup time has most likely reached its endpoint
    /// since, and the administrator releases it with <i>Send again</i>. A backup made before webhooks existed has no such table.
    /// </summary>
    private static async Task<int> HoldWebhookDeliveriesAsync(DbConnection connection, DateTime backupCreatedUtc, CancellationToken cancellationToken)
    {
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = connection.GetType().Name.StartsWith("Sqlite", StringComparison.Ordinal)
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'WebhookDeliveries'"
                : "SELECT count(*) FROM information_schema.tables WHERE table_name = 'WebhookDeliveries' AND table_schema = current_schema()";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }
        }

        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE "WebhookDeliveries" SET "Status" = @dead, "LockedUntilUtc" = NULL, "LockedBy" = NULL, "LastError" = @note
            WHERE "Status" = @pending
            """;
        AddParameter(command, "dead", (int)Portfolio.Web.Webhooks.WebhookDeliveryStatus.Dead);
        AddParameter(command, "pending", (int)Portfolio.Web.Webhooks.WebhookDeliveryStatus.Pending);
        AddParameter(command, "note", HeldNotePrefix + " of the backup made " +
            backupCreatedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) +
            " UTC: it was waiting then and may have been delivered since. If the endpoint did not get it, choose Send again.");
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
