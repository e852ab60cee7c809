using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
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

    /// <summary>
    /// The hold as a psql script for <see cref="PostgresTools.RestoreAsync"/>, which runs it in the restore's own
    /// transaction: a restore that commits has its mail held, whatever happens after. It echoes one line,
    /// <c>held-by-restore MAILS DELIVERIES</c>, which <see cref="HeldCount"/> reads.
    /// </summary>
    public static PsqlScript PostgresHold(DateTime backupCreatedUtc) => new(
        """
        -- pg_restore's script emptied the search path. Back to the session's own: the connection string's Search Path
        -- (PostgresTools.Environment), else the server's, which is where the app finds its tables.
        RESET search_path;
        WITH held AS (
            UPDATE "EmailOutbox" SET "Status" = :mail_dead, "LockedUntilUtc" = NULL, "LockedBy" = NULL, "LastError" = :'mail_note'
            WHERE "Status" = :mail_pending RETURNING 1)
        SELECT count(*) AS held_mails FROM held \gset
        \set held_deliveries 0
        -- A backup made before webhooks existed has no such table.
        SELECT to_regclass('"WebhookDeliveries"') IS NOT NULL AS has_webhooks \gset
        \if :has_webhooks
        WITH held AS (
            UPDATE "WebhookDeliveries" SET "Status" = :delivery_dead, "LockedUntilUtc" = NULL, "LockedBy" = NULL, "LastError" = :'delivery_note'
            WHERE "Status" = :delivery_pending RETURNING 1)
        SELECT count(*) AS held_deliveries FROM held \gset
        \endif
        \echo held-by-restore :held_mails :held_deliveries
        """,
        new Dictionary<string, string>
        {
            ["mail_pending"] = Number((int)EmailStatus.Pending),
            ["mail_dead"] = Number((int)EmailStatus.Dead),
            ["delivery_pending"] = Number((int)Portfolio.Web.Webhooks.WebhookDeliveryStatus.Pending),
            ["delivery_dead"] = Number((int)Portfolio.Web.Webhooks.WebhookDeliveryStatus.Dead),
            ["mail_note"] = MailNote(backupCreatedUtc),
            ["delivery_note"] = DeliveryNote(backupCreatedUtc),
        });

    /// <summary>How many mails and deliveries <see cref="PostgresHold"/> held, from psql's output.</summary>
    public static int HeldCount(IReadOnlyList<string> psqlOutput)
    {
        var line = psqlOutput.LastOrDefault(text => text.StartsWith("held-by-restore ", StringComparison.Ordinal))
                   ?? throw new BackupProblemException("psql did not say how many waiting mails it held.");
        return line.Split(' ').Skip(1).Sum(count => int.Parse(count, CultureInfo.InvariantCulture));
    }

    /// <summary>Holds every pending mail and webhook delivery in the restored SQLite copy; returns how many.</summary>
    public static async Task<int> HoldAsync(SqliteConnection connection, DateTime backupCreatedUtc, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE "EmailOutbox" SET "Status" = @dead, "LockedUntilUtc" = NULL, "LockedBy" = NULL, "LastError" = @note
            WHERE "Status" = @pending
            """;
        AddParameter(command, "dead", (int)EmailStatus.Dead);
        AddParameter(command, "pending", (int)EmailStatus.Pending);
        AddParameter(command, "note", MailNote(backupCreatedUtc));
        var held = await command.ExecuteNonQueryAsync(cancellationToken);
        return held + await HoldWebhookDeliveriesAsync(connection, backupCreatedUtc, cancellationToken);
    }

    /// <summary>
    /// The same for outgoing webhooks (Webhooks/): a delivery waiting at backup time has most likely reached its endpoint
    /// since, and the administrator releases it with <i>Send again</i>. A backup made before webhooks existed has no such table.
    /// </summary>
    private static async Task<int> HoldWebhookDeliveriesAsync(SqliteConnection connection, DateTime backupCreatedUtc, CancellationToken cancellationToken)
    {
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'WebhookDeliveries'";
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
        AddParameter(command, "note", DeliveryNote(backupCreatedUtc));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string MailNote(DateTime backupCreatedUtc) =>
        $"{HeldNotePrefix} of the backup made {Utc(backupCreatedUtc)}: it was waiting then and may have been sent since. " +
        "If the recipient did not get it, choose Retry now.";

    private static string DeliveryNote(DateTime backupCreatedUtc) =>
        $"{HeldNotePrefix} of the backup made {Utc(backupCreatedUtc)}: it was waiting then and may have been delivered since. " +
        "If the endpoint did not get it, choose Send again.";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Utc(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
