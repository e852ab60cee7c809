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

    /// <summary>Holds every pending mail in the database behind <paramref name="connection"/>; returns how many.</summary>
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
