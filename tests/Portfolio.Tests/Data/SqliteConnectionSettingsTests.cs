using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Contact;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Data;

/// <summary>The app with <c>Database:SqliteSynchronous=Full</c>.</summary>
public sealed class FullSyncPortfolioApp : PortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:SqliteSynchronous", "Full");
        builder.UseSetting("Database:SqliteBusyTimeout", "00:00:07");
    }
}

public sealed class SqliteConnectionSettingsTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    [SkippableFact]
    public async Task EveryConnectionRunsInWalWithSynchronousNormalAndABusyTimeout()
    {
        Skip.If(app.Database.IsPostgres, "SQLite settings: SQLite only.");

        await app.WithDbAsync(async db =>
        {
            Assert.Equal("wal", await ScalarAsync(db, "PRAGMA journal_mode"));
            Assert.Equal("1", await ScalarAsync(db, "PRAGMA synchronous")); // NORMAL
            Assert.Equal("30000", await ScalarAsync(db, "PRAGMA busy_timeout"));
            Assert.Equal("0", await ScalarAsync(db, "PRAGMA wal_autocheckpoint")); // checkpoints run in the background
        });
    }

    [SkippableFact]
    public async Task TheBackgroundCheckpointCopiesTheWholeLogIntoTheDatabase()
    {
        Skip.If(app.Database.IsPostgres, "SQLite's write-ahead log: SQLite only.");

        await app.WithScopeAsync(services => services.GetRequiredService<ContactService>().SubmitAsync(
            new ContactRequest("Checkpoint", "checkpoint@example.com", null, "Checkpoint", "A message that lands in the log."),
            "api", SpamVerdict.Clean, CancellationToken.None));

        var round = await app.Services.GetRequiredService<SqliteCheckpointService>().CheckpointAsync(CancellationToken.None);

        Assert.Equal(round.LogFrames, round.Checkpointed);
        Assert.True(round.Restarts);
    }

    [SkippableFact]
    public async Task UnderSteadyReadsAndWritesARoundStillStartsTheLogOver()
    {
        Skip.If(app.Database.IsPostgres, "SQLite's write-ahead log: SQLite only.");

        // Writers and readers keep going while the checkpoint runs, as under real traffic: a plain PASSIVE
        // checkpoint then never let SQLite start the log over, and the file grew by every commit.
        var written = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var number = 0; !stop.IsCancellationRequested; number++)
            {
                await app.WithScopeAsync(services => services.GetRequiredService<ContactService>().SubmitAsync(
                    new ContactRequest("Steady", $"steady{writer}-{number}@example.com", null, "Steady writes", $"Steady message {writer}-{number}, one of many."),
                    "api", SpamVerdict.Clean, CancellationToken.None));
                Interlocked.Increment(ref written);
            }
        })).ToList();
        // The app's own reads are short indexed lookups (the duplicate check, the busy-time lookup); full scans of a
        // table that grows by thousands of rows a second outlast the round's wait for readers, which is not what is tested here.
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Guid.CreateVersion7();
                await app.WithDbAsync(db => db.ContactMessages.AnyAsync(m => m.Id == id));
            }
        })).ToList();

        try
        {
            // A round every 40 messages. (Under the benchmark's far heavier load a plain PASSIVE checkpoint never
            // let the log start over; tests/bench/api.sh reports the log's size after its SQLite runs.)
            var checkpoint = app.Services.GetRequiredService<SqliteCheckpointService>();
            var rounds = new List<CheckpointRound>();
            for (var round = 1; round <= 8; round++)
            {
                await WaitUntilAsync(() => Volatile.Read(ref written) >= round * 40);
                rounds.Add(await checkpoint.CheckpointAsync(CancellationToken.None));
            }

            await stop.CancelAsync();
            await Task.WhenAll(writers.Concat(readers));

            // A round that restarts has copied every frame and waited out the readers on them, so the next commit
            // writes from the top of the log. (The frame counts themselves do not show it: the mail dispatcher
            // and the background rounds write and checkpoint alongside.)
            Assert.Contains(rounds, round => round.Restarts);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers.Concat(readers));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the writers made no progress within 30 s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task ConcurrentWritesAllCommit()
    {
        // Many requests writing at once queue behind one another instead of failing or stalling on "database is locked".
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(number => app.WithScopeAsync(async services =>
            await services.GetRequiredService<ContactService>().SubmitAsync(
                new ContactRequest($"Writer {number}", $"writer{number}@example.com", null, "Concurrent write", $"Concurrent message number {number}."),
                "api", SpamVerdict.Clean, CancellationToken.None))));

        Assert.All(results, result => Assert.IsType<ContactResult.Accepted>(result));
        await app.WithDbAsync(async db =>
            Assert.Equal(40, await db.ContactMessages.CountAsync(m => m.Subject == "Concurrent write")));
    }

    internal static async Task<string> ScalarAsync(PortfolioDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

public sealed class SqliteFullSyncTests(FullSyncPortfolioApp app) : IClassFixture<FullSyncPortfolioApp>
{
    [SkippableFact]
    public async Task SynchronousFullAndTheBusyTimeoutAreConfigurable()
    {
        Skip.If(app.Database.IsPostgres, "SQLite settings: SQLite only.");

        await app.WithDbAsync(async db =>
        {
            Assert.Equal("2", await SqliteConnectionSettingsTests.ScalarAsync(db, "PRAGMA synchronous")); // FULL
            Assert.Equal("7000", await SqliteConnectionSettingsTests.ScalarAsync(db, "PRAGMA busy_timeout"));
        });
    }
}
