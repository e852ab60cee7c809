using System.Collections.Concurrent;

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
/// Writes that do not pass through here (another process, or a rare explicit transaction) are still
/// handled by SQLite's busy_timeout.
/// </remarks>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async ValueTask<Lease> EnterAsync(string database, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(database, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Lease(gate);
    }

    public static Lease Enter(string database)
    {
        var gate = Gates.GetOrAdd(database, _ => new SemaphoreSlim(1, 1));
        gate.Wait();
        return new Lease(gate);
    }

    /// <summary>Held while writing; disposing lets the next writer in.</summary>
    public readonly struct Lease(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
