using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Data;

/// <summary>
/// The database's part of starting: reach it, create it when it is missing, and say clearly what to change when
/// neither works. PostgreSQL may not be up yet (containers that start together): the app tries again with backoff
/// for <see cref="DatabaseOptions.StartupTimeout"/>, one warning per attempt, so that a restart policy does not turn
/// a slow database into a crash loop.
/// </summary>
public sealed partial class DatabaseStartup(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, ILogger<DatabaseStartup> logger)
{
    /// <summary>
    /// Returns once the database answers. With <paramref name="createIfMissing"/> a PostgreSQL database that does not
    /// exist is created (as EF's <c>Migrate</c> would, when the role may); SQLite creates its file when it first opens it.
    /// </summary>
    public async Task EnsureReachableAsync(bool createIfMissing, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortfolioDbContext>();
        if (db is PostgresPortfolioDbContext)
        {
            await EnsurePostgresAsync(db, createIfMissing, cancellationToken);
        }
        else
        {
            await EnsureSqliteAsync(db, cancellationToken);
        }
    }

    private async Task EnsurePostgresAsync(PortfolioDbContext db, bool createIfMissing, CancellationToken cancellationToken)
    {
        var timeout = options.Value.StartupTimeout;
        var server = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        var where = $"{server.Host}:{server.Port}";
        var started = Stopwatch.GetTimestamp();
        var retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            // Only what may pass (refused, timed out, "the database system is starting up"), and only within the timeout.
            ShouldHandle = arguments => ValueTask.FromResult(
                Transient(arguments.Outcome.Exception) is not null && Stopwatch.GetElapsedTime(started) < timeout),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(5),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = arguments =>
            {
                LogNotReachable(logger, where, Reason(Transient(arguments.Outcome.Exception)!), arguments.AttemptNumber + 1, arguments.RetryDelay.TotalSeconds,
                    Math.Max(0, (timeout - Stopwatch.GetElapsedTime(started)).TotalSeconds));
                return ValueTask.CompletedTask;
            },
        }).Build();

        try
        {
            await retry.ExecuteAsync(async token => await EnsurePostgresDatabaseAsync(db, server, createIfMissing, token), cancellationToken);
        }
        catch (Exception exception) when (Transient(exception) is { } transient)
        {
            throw new StartupProblemException(
                $"PostgreSQL at {where} did not answer within {timeout} (Database:StartupTimeout): {Reason(transient)} " +
                "Check Host and Port in ConnectionStrings:Portfolio and that the server runs, or raise Database:StartupTimeout if it starts slowly.",
                exception);
        }
        catch (PostgresException exception)
        {
            throw new StartupProblemException(
                $"PostgreSQL at {where} refused the app: {exception.MessageText} ({exception.SqlState}). " +
                "Check the database, Username and Password in ConnectionStrings:Portfolio.", exception);
        }
    }

    private async Task EnsurePostgresDatabaseAsync(PortfolioDbContext db, NpgsqlConnectionStringBuilder server, bool createIfMissing,
        CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        if (!createIfMissing)
        {
            throw new StartupProblemException(
                $"The database {server.Database} does not exist on {server.Host}:{server.Port}. Create it and apply the migrations, " +
                "or set Database:MigrateOnStartup=true so that the app does both.");
        }

        try
        {
            // Instances that start together take turns here: Npgsql's CreateAsync quietly succeeds when another
            // connection creates the same database at the same moment, so without the lock every instance would
            // believe (and log) that it created the database.
            await using var maintenance = new NpgsqlConnection(
                new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = MaintenanceDatabase, Pooling = false }.ConnectionString);
            await maintenance.OpenAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('portfolio:create-database:' || @name))", maintenance))
            {
                lockCommand.Parameters.AddWithValue("name", server.Database!);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            // The lock goes with the connection, so nothing has to release it on any way out.
            if (await creator.ExistsAsync(cancellationToken))
            {
                return;
            }

            await creator.CreateAsync(cancellationToken);
            LogCreated(logger, server.Database!, server.Host!);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another process (not an instance of this app) created it at the same moment.
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new StartupProblemException(
                $"The database {server.Database} does not exist on {server.Host}:{server.Port} and the role {server.Username} may not create it. " +
                "Create it (CREATE DATABASE), grant the role CREATEDB, or point ConnectionStrings:Portfolio at an existing database.", exception);
        }
    }

    /// <summary>The database every PostgreSQL server has, and the one Npgsql's own creator connects to for CREATE DATABASE.</summary>
    private const string MaintenanceDatabase = "postgres";

    /// <summary>Opens the file (creating it when new) with the app's own connection settings (WAL, busy timeout).</summary>
    private static async Task EnsureSqliteAsync(PortfolioDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.GetService<IRelationalConnection>();
        try
        {
            // Expected: EF then leaves the failure to this method instead of logging it with its stack trace.
            await connection.OpenAsync(cancellationToken, errorsExpected: true);
            await connection.CloseAsync();
        }
        catch (SqliteException exception)
        {
            throw new StartupProblemException(
                $"SQLite cannot open {db.Database.GetDbConnection().DataSource}: {exception.Message} Its folder must exist and be writable " +
                "for the app's user; change ConnectionStrings:Portfolio or start the app with --contentRoot on a writable folder.", exception);
        }
    }

    /// <summary>
    /// A failure that may pass: refused, timed out, "the database system is starting up". EF's default execution
    /// strategy hands it over wrapped ("likely due to a transient failure").
    /// </summary>
    private static NpgsqlException? Transient(Exception? exception) => exception switch
    {
        NpgsqlException { IsTransient: true } transient => transient,
        InvalidOperationException { InnerException: NpgsqlException { IsTransient: true } transient } => transient,
        _ => null,
    };

    private static string Reason(Exception exception) =>
        (exception.InnerException is { } inner && exception is not PostgresException ? $"{exception.Message} ({inner.Message})" : exception.Message)
        .TrimEnd('.') + ".";

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning,
        Message = "PostgreSQL at {Server} is not reachable yet: {Reason} Attempt {Attempt} failed; trying again in {DelaySeconds:0.0} s, for {RemainingSeconds:0} s more (Database:StartupTimeout)")]
    private static partial void LogNotReachable(ILogger logger, string server, string reason, int attempt, double delaySeconds, double remainingSeconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Created the database {Database} on {Server}")]
    private static partial void LogCreated(ILogger logger, string database, string server);
}
