using Microsoft.EntityFrameworkCore;

namespace Portfolio.Web.Data;

/// <summary>
/// Applies pending migrations. On PostgreSQL several instances may start at once, so the migration
/// runs under a session-level advisory lock: the first instance migrates, the others wait and then
/// find nothing left to do. SQLite is a single-host file and needs no such lock.
/// </summary>
public sealed partial class DatabaseMigrator(IServiceScopeFactory scopes, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Arbitrary but fixed key shared by every instance of this app ("portfoli" in ASCII).</summary>
    internal const long AdvisoryLockKey = 0x706F7274666F6C69;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortfolioDbContext>();
        if (db is PostgresPortfolioDbContext)
        {
            await MigrateUnderAdvisoryLockAsync(db, cancellationToken);
        }
        else
        {
            await MigrateNowAsync(db, cancellationToken);
        }
    }

    private async Task MigrateUnderAdvisoryLockAsync(PortfolioDbContext db, CancellationToken cancellationToken)
    {
        // Keep one connection open so the session-level lock and the migration share it.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            try
            {
                await MigrateNowAsync(db, cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task MigrateNowAsync(PortfolioDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        LogApplying(logger, pending.Count, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
        if (db is SqlitePortfolioDbContext)
        {
            // Write-ahead logging lets readers carry on while a write commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private static partial void LogApplying(ILogger logger, int count, string migrations);
}
