using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file once a second, off the request path. Connections
/// run with <c>wal_autocheckpoint=0</c> (see <see cref="SqliteConnectionSettings"/>), so no visitor's commit pays for
/// a checkpoint. PASSIVE: it never waits for or blocks a writer; what it cannot copy now it copies next time.
/// A checkpoint that has copied everything lets SQLite start the log from the top again, so it stays small.
/// </summary>
public sealed partial class SqliteCheckpointService(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    ILogger<SqliteCheckpointService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

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

    /// <summary>Runs one PASSIVE checkpoint; returns the log's frames and how many of them are now in the database.</summary>
    public async Task<(int LogFrames, int Checkpointed)> CheckpointAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SqlitePortfolioDbContext>();
        var result = await db.Database.SqlQueryRaw<CheckpointResult>("PRAGMA wal_checkpoint(PASSIVE)")
            .AsAsyncEnumerable().FirstAsync(cancellationToken);
        return (result.Log, result.Checkpointed);
    }

    /// <summary>The row <c>PRAGMA wal_checkpoint</c> answers: busy flag, frames in the log, frames checkpointed.</summary>
    private sealed record CheckpointResult(int Busy, int Log, int Checkpointed);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "SQLite checkpoint failed; trying again in a second")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
