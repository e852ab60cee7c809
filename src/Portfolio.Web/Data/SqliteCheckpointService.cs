using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace Portfolio.Web.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file once a second, off the request path, and sees to it
/// that the log starts over from the top instead of growing. Connections run with <c>wal_autocheckpoint=0</c> (see
/// <see cref="SqliteConnectionSettings"/>), so no visitor's commit pays for a checkpoint.
/// </summary>
/// <remarks>
/// A complete checkpoint alone does not keep the log small. SQLite starts the log over only when a writer begins
/// while every frame is already in the database and no reader is still on the old frames. Under steady writes
/// neither held: commits landed while the checkpoint copied, and some request was always reading. The log grew
/// without end (2.5 GB after a minute at 2,000 writes a second), every commit extended the file, and the
/// kernel zeroing the new blocks took 15 % of the CPU. So each round:
/// <list type="number">
/// <item>copies the bulk with PASSIVE passes while writers go on (each pass copies only what was committed during
/// the one before);</item>
/// <item>flushes the database file to disk while writers go on (see <see cref="FlushDatabaseFile"/>);</item>
/// <item>queues this process's writers (<see cref="SqliteWriteGate"/>) and copies the few frames left, those committed
/// since the last pass. This step syncs the log and the database file. SQLite syncs the database file only when a
/// checkpoint has copied the whole log, so before the flush above this sync wrote out every page the passes had
/// copied, and held the writers for 10–24 ms a round (a p99 of 19 ms with one client, whose median is 0.5 ms);</item>
/// <item>still holding the writers, waits for readers on the old frames to finish (readers that begin meanwhile read
/// the database file alone). It polls with RESTART on a connection without a busy timeout: SQLite's own busy wait
/// sleeps 1, 2, 5 ms…, which stalled every writer for up to 15 ms; the readers need well under one.</item>
/// </list>
/// The next commit then writes from the top of the log.
/// </remarks>
public sealed partial class SqliteCheckpointService(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    ILogger<SqliteCheckpointService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Few enough new frames for the step with writers queued (about ten contact messages).</summary>
    private const int CatchUpFrames = 100;

    /// <summary>The longest writers are held while waiting for readers; a reader still busy then is waited for next round.</summary>
    private static readonly TimeSpan ReaderWait = TimeSpan.FromMilliseconds(3);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private SqliteConnection? _connection;

    /// <summary>Our own descriptor of each database file, for <see cref="FlushDatabaseFile"/>; never closed (see there).</summary>
    private static readonly Dictionary<string, SafeFileHandle> DatabaseFiles = new(StringComparer.Ordinal);

    /// <summary>The database's <c>data_version</c> when the log was last readied for a restart (null: not yet).</summary>
    private long? _restartedAtVersion;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckpointAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }
        }
    }

    /// <summary>
    /// One round (see the remarks); returns the log's frames and how many of them are now in the database, and
    /// whether the next commit will start the log over.
    /// </summary>
    public async Task<CheckpointRound> CheckpointAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SqlitePortfolioDbContext>();
            var connection = await ConnectionAsync(db, cancellationToken);

            // data_version changes whenever another connection commits: unchanged since the last restart, there is
            // nothing to do (the frame count alone cannot tell: a refilled log can reach the same length).
            var version = await DataVersionAsync(connection, cancellationToken);
            var result = await RunAsync(connection, "PRAGMA wal_checkpoint(PASSIVE)", cancellationToken);
            if (version == _restartedAtVersion && result.Log == result.Checkpointed)
            {
                return new CheckpointRound(result.Log, result.Checkpointed, Restarts: true);
            }

            for (var pass = 0; pass < 3; pass++)
            {
                var before = result.Log;
                result = await RunAsync(connection, "PRAGMA wal_checkpoint(PASSIVE)", cancellationToken);
                if (result.Log - before < CatchUpFrames)
                {
                    break;
                }
            }

            FlushDatabaseFile(connection);
            using var writersWait = await db.HoldWriteGateAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                result = await RunAsync(connection, "PRAGMA wal_checkpoint(RESTART)", cancellationToken);
                if (result.Busy == 0)
                {
                    _restartedAtVersion = await DataVersionAsync(connection, cancellationToken);
                    return new CheckpointRound(result.Log, result.Checkpointed, Restarts: true);
                }

                if (Stopwatch.GetElapsedTime(started) > ReaderWait)
                {
                    return new CheckpointRound(result.Log, result.Checkpointed, Restarts: false);
                }

                await Task.Yield();
            }
        }
        catch
        {
            // A broken connection is opened afresh next round.
            _connection?.Dispose();
            _connection = null;
            throw;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// The service's own connection, outside EF's pool: no busy timeout (see the remarks), and the same
    /// <c>synchronous</c> as the app's connections, which decides whether a checkpoint syncs the files.
    /// </summary>
    private async Task<SqliteConnection> ConnectionAsync(SqlitePortfolioDbContext db, CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        // DefaultTimeout bounds Microsoft.Data.Sqlite's own retries of a locked database (150 ms sleeps), which
        // would otherwise hold the queued writers for up to 30 s; 0 would mean forever.
        var connection = new SqliteConnection(builder.ConnectionString) { DefaultTimeout = 1 };
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout=0; PRAGMA synchronous={(options.Value.SqliteSynchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")};");
            await command.ExecuteNonQueryAsync(cancellationToken);
            return _connection = connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes the pages the passes copied into the database file to disk, so that the sync SQLite makes while the
    /// writers are queued has only the last few to write. An extra fsync, never one fewer: what SQLite syncs and when
    /// is unchanged, and a failed flush only costs the round its speed. Linux only (where the app runs in production);
    /// elsewhere SQLite's own sync does all of it, as before.
    /// </summary>
    /// <remarks>
    /// The descriptor is our own, opened read-only with <c>open(2)</c> rather than through FileStream, and never
    /// closed: closing any descriptor of the file would drop every POSIX lock SQLite's connections in this process hold
    /// on it, and FileStream would also take an flock and close the descriptor when that fails. One per database file
    /// for the life of the process (a test run's deleted databases keep theirs until it exits).
    /// </remarks>
    private void FlushDatabaseFile(SqliteConnection connection)
    {
        var path = connection.DataSource;
        if (!OperatingSystem.IsLinux() || string.IsNullOrEmpty(path))
        {
            return; // not Linux, or an in-memory database
        }

        try
        {
            SafeFileHandle? handle;
            lock (DatabaseFiles)
            {
                if (!DatabaseFiles.TryGetValue(path, out handle))
                {
                    var descriptor = Open(System.Text.Encoding.UTF8.GetBytes(path + "\0"), OpenReadOnlyCloseOnExec);
                    if (descriptor < 0)
                    {
                        throw new IOException($"open failed: errno {Marshal.GetLastPInvokeError()}");
                    }

                    handle = new SafeFileHandle(descriptor, ownsHandle: false);
                    DatabaseFiles.Add(path, handle);
                }
            }

            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogFlushFailed(logger, exception);
        }
    }

    /// <summary>O_RDONLY | O_CLOEXEC on Linux.</summary>
    private const int OpenReadOnlyCloseOnExec = 0x80000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] nullTerminatedUtf8Path, int flags);

    private static async Task<long> DataVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<(int Busy, int Log, int Checkpointed)> RunAsync(SqliteConnection connection, string pragma, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    public override void Dispose()
    {
        // A round still running (a direct call, or one past the shutdown timeout) keeps its connection until it ends.
        if (_oneAtATime.Wait(TimeSpan.FromSeconds(5)))
        {
            _connection?.Dispose();
            _connection = null;
            _oneAtATime.Release();
        }

        base.Dispose();
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "SQLite checkpoint failed; trying again in a second")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Flushing the SQLite database file before a checkpoint failed; SQLite's own sync does it")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}

/// <summary>What a checkpoint round did: the log's frames, how many are in the database, and whether the next commit starts the log over.</summary>
public sealed record CheckpointRound(int LogFrames, int Checkpointed, bool Restarts);
