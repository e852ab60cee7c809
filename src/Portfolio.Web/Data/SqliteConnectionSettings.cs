using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
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
/// <item><c>wal_autocheckpoint=0</c>: SQLite would otherwise copy the WAL back into the database (and fsync it)
/// inside whichever commit crosses 1,000 pages, a pause of many milliseconds for that one request;
/// <see cref="SqliteCheckpointService"/> does it in the background instead.</item>
/// </list>
/// The settings stay with the underlying connection, which Microsoft.Data.Sqlite pools, so each is configured once.
/// </summary>
public sealed class SqliteConnectionSettings(SqliteSynchronous synchronous, TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private static readonly object Configured = new();

    private readonly string _pragmas = string.Create(CultureInfo.InvariantCulture,
        $"PRAGMA synchronous={(synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout={(int)busyTimeout.TotalMilliseconds}; PRAGMA wal_autocheckpoint=0;");

    /// <summary>The native connections already set up (weak: a handle the pool closes is forgotten).</summary>
    private readonly ConditionalWeakTable<object, object> _handles = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsConfigured(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsConfigured(connection))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        Remember(connection);
    }

    private bool IsConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && _handles.TryGetValue(handle, out _);

    private void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            _handles.AddOrUpdate(handle, Configured);
        }
    }
}
