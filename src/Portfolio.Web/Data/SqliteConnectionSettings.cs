using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portfolio.Web.Data;

/// <summary>How SQLite makes a commit durable (<c>Database:SqliteSynchronous</c>).</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// WAL with <c>synchronous=NORMAL</c>: a commit writes the WAL without waiting for the disk; the WAL is
    /// synced at checkpoints. The database is never corrupted, and an app crash loses nothing (the OS has the
    /// writes); only a power loss or OS crash may roll back the last commits. SQLite's recommended setting for WAL.
    /// </summary>
    Normal,

    /// <summary><c>synchronous=FULL</c>: every commit waits for an fsync of the WAL (SQLite's default; slower).</summary>
    Full,
}

/// <summary>
/// Per-connection SQLite settings, applied each time EF opens a connection (PRAGMAs are per connection,
/// and Microsoft.Data.Sqlite has no connection-string keys for them):
/// <list type="bullet">
/// <item><c>synchronous</c> from <see cref="DatabaseOptions.SqliteSynchronous"/>.</item>
/// <item><c>busy_timeout</c>: a writer that finds the database locked waits inside SQLite, which retries
/// within a millisecond or so. Without it Microsoft.Data.Sqlite retries on its own with a fixed
/// <c>Thread.Sleep(150)</c>, so under concurrent writes requests took 150 ms steps (p99 over a second).</item>
/// </list>
/// </summary>
public sealed class SqliteConnectionSettings(SqliteSynchronous synchronous, TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private readonly string _pragmas = string.Create(CultureInfo.InvariantCulture,
        $"PRAGMA synchronous={(synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout={(int)busyTimeout.TotalMilliseconds};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
