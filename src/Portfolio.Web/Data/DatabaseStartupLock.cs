using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portfolio.Web.Data;

/// <summary>
/// Serialises what instances do to a shared PostgreSQL database while they start (migrations, roles, the first
/// administrator, sample content): several instances may start at once, and each of these steps checks and then
/// writes. The first instance to take the session-level advisory lock does the work; the others wait and then find
/// it done. SQLite is one file on one host, used by one process: there the lock is nothing.
/// </summary>
public sealed partial class DatabaseStartupLock(IServiceScopeFactory scopes, ILogger<DatabaseStartupLock> logger)
{
    /// <summary>Arbitrary but fixed key shared by every instance of this app ("portfoli" in ASCII).</summary>
    internal const long AdvisoryLockKey = 0x706F7274666F6C69;

    public async Task<IAsyncDisposable> AcquireAsync(string step, CancellationToken cancellationToken)
    {
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (scope.ServiceProvider.GetRequiredService<PortfolioDbContext>() is not PostgresPortfolioDbContext postgres)
            {
                return NoLock.Instance;
            }

            connectionString = postgres.Database.GetConnectionString()!;
        }

        // A connection of its own, outside the pool: closing it ends the session, which releases the lock whatever
        // happened, so no pooled connection can carry a forgotten lock into later use (pooled connections are not
        // reset, DataExtensions.WithPoolDefaults). No command timeout: the wait lasts as long as the other start.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Multiplexing = false,
            CommandTimeout = 0,
        }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (!(bool)(await ExecuteAsync(connection, $"SELECT pg_try_advisory_lock({AdvisoryLockKey})", cancellationToken))!)
            {
                LogWaiting(logger, step);
                await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            }

            return new Held(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<object?> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private sealed class Held(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Released at once, so the next instance need not wait for this session to end on the server.
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The session is gone, and the lock with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Waiting for another instance to finish starting before: {Step}")]
    private static partial void LogWaiting(ILogger logger, string step);
}
