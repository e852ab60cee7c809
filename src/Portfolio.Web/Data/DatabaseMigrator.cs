using Microsoft.EntityFrameworkCore;

namespace Portfolio.Web.Data;

/// <summary>
/// Applies pending migrations. On PostgreSQL several instances may start at once, so the migration runs under
/// the <see cref="DatabaseStartupLock"/>: the first instance migrates, the others wait and then find nothing left
/// to do. SQLite is a single-host file and needs no such lock.
/// </summary>
public sealed partial class DatabaseMigrator(IServiceScopeFactory scopes, DatabaseStartupLock startupLock, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var held = await startupLock.AcquireAsync("migrations", cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortfolioDbContext>();
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
