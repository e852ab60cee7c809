using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portfolio.Web.Data;

/// <summary>
/// Runs a background job's round on one instance at a time. Every instance on one PostgreSQL runs the same jobs
/// (scheduled publishing, reminders, retention, busy-calendar fetching); each round first takes a session advisory
/// lock named after the job, and an instance that finds it taken skips its round: the holder is doing the work, and
/// what it commits is no longer due for the next round anywhere. SQLite is one process: the round just runs.
/// </summary>
public sealed partial class SharedJobLock(IServiceScopeFactory scopes, ILogger<SharedJobLock> logger)
{
    /// <summary>First half of every job's lock key ("port" in ASCII); the start-up lock uses the one-number form.</summary>
    internal const int LockClass = 0x706F7274;

    /// <summary>Runs <paramref name="round"/> unless another instance is running this job now; true when it ran.</summary>
    public async Task<bool> RunAloneAsync(string job, Func<CancellationToken, Task> round, CancellationToken cancellationToken)
    {
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (scope.ServiceProvider.GetRequiredService<PortfolioDbContext>() is not PostgresPortfolioDbContext postgres)
            {
                await round(cancellationToken);
                return true;
            }

            connectionString = postgres.Database.GetConnectionString()!;
        }

        // A connection of its own, outside the pool, for as long as the round lasts: if the process dies the session
        // ends and the lock with it, and no pooled connection can carry a forgotten lock (they are not reset).
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Multiplexing = false,
        }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@class, @key)", connection))
        {
            take.Parameters.AddWithValue("class", LockClass);
            take.Parameters.AddWithValue("key", KeyOf(job));
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                LogSkipped(logger, job);
                return false;
            }
        }

        try
        {
            await round(cancellationToken);
            return true;
        }
        finally
        {
            // Released at once, so a check right after the round finds it free; if this fails the session is gone, and
            // the lock with it when the connection is disposed.
            await ReleaseAsync(connection, job);
        }
    }

    private static async Task ReleaseAsync(NpgsqlConnection connection, string job)
    {
        try
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@class, @key)", connection);
            release.Parameters.AddWithValue("class", LockClass);
            release.Parameters.AddWithValue("key", KeyOf(job));
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The session is gone, and the lock with it.
        }
    }

    /// <summary>The job's name as a number, the same in every instance and every build.</summary>
    internal static int KeyOf(string job) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(job)), 0);

    [LoggerMessage(EventId = 140, Level = LogLevel.Debug, Message = "Job {Job} skipped this round: another instance is running it")]
    private static partial void LogSkipped(ILogger logger, string job);
}
