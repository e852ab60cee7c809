using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portfolio.Web.Data;

/// <summary>
/// One writer at a time per SQLite file, queued in this process without holding a thread.
/// </summary>
/// <remarks>
/// SQLite lets one connection write at a time. A second writer is told "busy" and waits: inside SQLite
/// (busy_timeout, see <see cref="SqliteConnectionSettings"/>) it sleeps on a thread-pool thread, and with a
/// few such waits at once the pool runs short of threads and every request stalls until it grows (under
/// 20 concurrent writers the API's p99 was about a second). Queuing the writes here first costs nothing
/// when there is no contention; under contention each waiter is an awaited task that is resumed as
/// soon as the write before it commits, in arrival order. The database still has the last word on every
/// constraint (the booking overlap triggers, unique indexes): this only decides who goes next.
/// Callers do nothing for it: <see cref="SqliteWriteGateInterceptor"/> queues every write of the app's contexts.
/// Writes from elsewhere (another process) are still handled by SQLite's busy_timeout.
/// </remarks>
public static class SqliteWriteGate
{
    /// <summary>
    /// Longer than any write should take, as SQLite's own busy_timeout: a writer that waits longer fails with an error
    /// that says so instead of hanging (a lease never given back would otherwise stop every write of the process).
    /// </summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async ValueTask<Lease> EnterAsync(string database, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(database, _ => new SemaphoreSlim(1, 1));
        return await gate.WaitAsync(MaxWait, cancellationToken) ? new Lease(gate) : throw TimedOut();
    }

    public static Lease Enter(string database)
    {
        var gate = Gates.GetOrAdd(database, _ => new SemaphoreSlim(1, 1));
        return gate.Wait(MaxWait) ? new Lease(gate) : throw TimedOut();
    }

    private static TimeoutException TimedOut() =>
        new($"A write waited {MaxWait.TotalSeconds:0} s for the SQLite write queue (SqliteWriteGate) without getting its turn.");

    /// <summary>Held while writing; disposing lets the next writer in (once: a copy disposed again does nothing harmful).</summary>
    public sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

/// <summary>
/// Puts every write of a <see cref="SqlitePortfolioDbContext"/> behind <see cref="SqliteWriteGate"/>, so no caller can
/// forget it: a transaction (SaveChanges' own, an explicit one, a migration's) holds the gate from its start to its
/// commit or rollback; a command outside a transaction holds it while it runs if it writes (INSERT, UPDATE, DELETE,
/// REPLACE, a PRAGMA: ExecuteUpdate, ExecuteDelete, raw SQL, SaveChanges of one row). Reads never wait.
/// A context holds at most one lease: what it does while holding it does not queue again.
/// </summary>
public sealed class SqliteWriteGateInterceptor : DbCommandInterceptor, IDbTransactionInterceptor, IDbConnectionInterceptor
{
    // EF reports no end to a transaction disposed without a commit or rollback (a failed SaveChanges, a conflict in
    // ExecuteAtomicallyAsync, an early return): it then closes the connection it opened for it, and that gives the lease back.
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => ReleaseAbandoned(eventData.Context);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        ReleaseAbandoned(eventData.Context);
        return Task.CompletedTask;
    }

    private static void ReleaseAbandoned(DbContext? context)
    {
        if (context is SqlitePortfolioDbContext db)
        {
            db.WriteLease.ReleaseAbandonedTransaction(db.Database.CurrentTransaction is null);
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await EnterForCommandAsync(command, eventData.Context, cancellationToken);
        return result;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        EnterForCommand(command, eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterForCommandAsync(command, eventData.Context, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        EnterForCommand(command, eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await EnterForCommandAsync(command, eventData.Context, cancellationToken);
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        EnterForCommand(command, eventData.Context);
        return result;
    }

    // A reader's command is done when the reader is closed: the rows of an UPDATE … RETURNING are read until then.
    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        LeaveForCommand(command, eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        LeaveForCommand(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        LeaveForCommand(command, eventData.Context);
        return result;
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        LeaveForCommand(command, eventData.Context);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        LeaveForCommand(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        LeaveForCommand(command, eventData.Context);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        LeaveForCommand(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => LeaveForCommand(command, eventData.Context);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveForCommand(command, eventData.Context);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => LeaveForCommand(command, eventData.Context);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveForCommand(command, eventData.Context);
        return Task.CompletedTask;
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        (eventData.Context as SqlitePortfolioDbContext)?.WriteLease.EnterForTransaction();
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is SqlitePortfolioDbContext db)
        {
            await db.WriteLease.EnterForTransactionAsync(cancellationToken);
        }

        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => LeaveForTransaction(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveForTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => LeaveForTransaction(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveForTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => LeaveForTransaction(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveForTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    private static async ValueTask EnterForCommandAsync(DbCommand command, DbContext? context, CancellationToken cancellationToken)
    {
        if (context is SqlitePortfolioDbContext db && command.Transaction is null)
        {
            db.WriteLease.ReleaseAbandonedTransaction(db.Database.CurrentTransaction is null);
            if (Writes(command.CommandText))
            {
                await db.WriteLease.EnterForCommandAsync(command, cancellationToken);
            }
        }
    }

    private static void EnterForCommand(DbCommand command, DbContext? context)
    {
        if (context is SqlitePortfolioDbContext db && command.Transaction is null)
        {
            db.WriteLease.ReleaseAbandonedTransaction(db.Database.CurrentTransaction is null);
            if (Writes(command.CommandText))
            {
                db.WriteLease.EnterForCommand(command);
            }
        }
    }

    private static void LeaveForCommand(DbCommand command, DbContext? context) => (context as SqlitePortfolioDbContext)?.WriteLease.LeaveForCommand(command);

    private static void LeaveForTransaction(DbContext? context) => (context as SqlitePortfolioDbContext)?.WriteLease.LeaveForTransaction();

    /// <summary>
    /// Whether a command changes the database, by its first keyword after any comments (EF's <c>TagWith</c>). A read
    /// must never be taken for a write: it would wait for a transaction that, in the same flow, waits for the read (the
    /// published-content cache rebuilds from its own context while a publish's transaction is open). A write taken for a
    /// read only falls back to SQLite's busy_timeout, so unknown keywords count as reads.
    /// </summary>
    internal static bool Writes(string sql)
    {
        var text = sql.AsSpan();
        while (true)
        {
            text = text.TrimStart();
            if (text.StartsWith("--", StringComparison.Ordinal))
            {
                var end = text.IndexOf('\n');
                text = end < 0 ? [] : text[(end + 1)..];
            }
            else if (text.StartsWith("/*", StringComparison.Ordinal))
            {
                var end = text.IndexOf("*/", StringComparison.Ordinal);
                text = end < 0 ? [] : text[(end + 2)..];
            }
            else
            {
                break;
            }
        }

        foreach (var keyword in WriteKeywords)
        {
            if (text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] WriteKeywords =
        ["INSERT", "UPDATE", "DELETE", "REPLACE", "PRAGMA", "CREATE", "DROP", "ALTER", "VACUUM", "REINDEX", "ANALYZE"];
}

/// <summary>
/// The <see cref="SqliteWriteGate"/> lease of one context: who took it (a command, a transaction, or the context's own
/// batch), so that only its taker gives it back. A context is used by one operation at a time.
/// </summary>
public sealed class SqliteWriteLease(Func<string> database)
{
    private SqliteWriteGate.Lease? _lease;
    private object? _holder;
    private static readonly object Transaction = new();

    /// <summary>Holds the gate for the rest of a using block, unless it is held already (then the block only runs).</summary>
    public async ValueTask<IDisposable> HoldAsync(CancellationToken cancellationToken)
    {
        if (_lease is not null)
        {
            return NotHeld.Instance;
        }

        var holder = new Holder(this);
        await EnterAsync(holder, cancellationToken);
        return holder;
    }

    internal ValueTask EnterForCommandAsync(DbCommand command, CancellationToken cancellationToken) => EnterAsync(command, cancellationToken);

    internal void EnterForCommand(DbCommand command) => Enter(command);

    internal void LeaveForCommand(DbCommand command) => Leave(command);

    internal ValueTask EnterForTransactionAsync(CancellationToken cancellationToken) => EnterAsync(Transaction, cancellationToken);

    internal void EnterForTransaction() => Enter(Transaction);

    internal void LeaveForTransaction() => Leave(Transaction);

    /// <summary>A transaction that ended without telling (disposed without a commit or rollback) gives its lease back.</summary>
    internal void ReleaseAbandonedTransaction(bool noTransactionOpen)
    {
        if (noTransactionOpen && ReferenceEquals(_holder, Transaction))
        {
            Leave(Transaction);
        }
    }

    /// <summary>Gives the gate back whoever holds it: the context is done (disposed or returned to its pool).</summary>
    internal void Release() => Leave(_holder);

    private async ValueTask EnterAsync(object holder, CancellationToken cancellationToken)
    {
        if (_lease is not null)
        {
            HandOver(holder);
            return;
        }

        _lease = await SqliteWriteGate.EnterAsync(database(), cancellationToken);
        _holder = holder;
    }

    private void Enter(object holder)
    {
        if (_lease is not null)
        {
            HandOver(holder);
            return;
        }

        _lease = SqliteWriteGate.Enter(database());
        _holder = holder;
    }

    /// <summary>
    /// A transaction begun while a command of this context holds the lease (a write's reader still open) keeps it until
    /// its own end: the command's end must not give it back in the middle of the transaction.
    /// </summary>
    private void HandOver(object holder)
    {
        if (ReferenceEquals(holder, Transaction) && _holder is DbCommand)
        {
            _holder = Transaction;
        }
    }

    private void Leave(object? holder)
    {
        if (_lease is null || !ReferenceEquals(holder, _holder))
        {
            return;
        }

        var lease = _lease;
        _lease = null;
        _holder = null;
        lease.Dispose();
    }

    private sealed class Holder(SqliteWriteLease owner) : IDisposable
    {
        public void Dispose() => owner.Leave(this);
    }

    private sealed class NotHeld : IDisposable
    {
        public static readonly NotHeld Instance = new();

        public void Dispose()
        {
        }
    }
}
