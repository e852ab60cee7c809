using Microsoft.Data.Sqlite;

namespace Portfolio.Web.Backup;

/// <summary>The SQLite side of a backup and a restore.</summary>
public static class SqliteCopy
{
    /// <summary>
    /// SQLite's online backup API (<see cref="SqliteConnection.BackupDatabase(SqliteConnection)"/>): a consistent copy of
    /// every committed transaction, the write-ahead log's included, while the site goes on writing (WAL readers do not
    /// block writers). A file copy of <c>portfolio.db</c> would miss the log and could catch a page half written.
    /// </summary>
    public static void Backup(string source, string destination)
    {
        using var from = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = source,
            // Not ReadOnly: a read-only connection to a WAL database fails when the shared-memory file is missing
            // (the site is stopped). Nothing is written through it.
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
        from.Open();
        // A write that holds the lock for a moment makes the copy wait for it rather than fail.
        using (var busy = from.CreateCommand())
        {
            busy.CommandText = "PRAGMA busy_timeout = 60000";
            busy.ExecuteNonQuery();
        }

        to.Open();
        from.BackupDatabase(to);
        // The copy stands alone: one file, no log beside it.
        using var journal = to.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode = DELETE";
        journal.ExecuteNonQuery();
    }

    /// <summary>Whether <paramref name="file"/> is a database with any table in it (the site's first start makes them).</summary>
    public static bool HasData(string file)
    {
        if (!File.Exists(file) || new FileInfo(file).Length == 0)
        {
            return false;
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>
    /// Checks the restored copy (<c>PRAGMA integrity_check</c>) and holds its waiting mails (<see cref="RestoredOutbox"/>),
    /// before it replaces anything; returns how many mails were held.
    /// </summary>
    public static async Task<int> PrepareRestoredAsync(string file, DateTime backupCreatedUtc, bool holdMail, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check";
                var result = (string?)await check.ExecuteScalarAsync(cancellationToken);
                if (result != "ok")
                {
                    throw new BackupProblemException($"The database in the backup is damaged (integrity check: {result}); nothing was changed.");
                }
            }

            return holdMail ? await RestoredOutbox.HoldAsync(connection, backupCreatedUtc, cancellationToken) : 0;
        }
        catch (SqliteException exception)
        {
            throw new BackupProblemException($"The database in the backup cannot be read: {BackupArchive.FirstLine(exception.Message)} Nothing was changed.", exception);
        }
    }

    /// <summary>
    /// Puts the restored file in the database's place. The old database's write-ahead log and shared-memory files go
    /// first: SQLite would otherwise replay the old log onto the new file.
    /// </summary>
    public static void ReplaceDatabase(string restored, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Delete(target + "-wal");
        File.Delete(target + "-shm");
        File.Delete(target + "-journal");
        File.Move(restored, target, overwrite: true);
    }
}
