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
    [Fact]
    public async Task EveryConnectionRunsInWalWithSynchronousNormalAndABusyTimeout()
    {
        if (app.Database.IsPostgres)
        {
            return; // SQLite settings.
        }

        await app.WithDbAsync(async db =>
        {
            Assert.Equal("wal", await ScalarAsync(db, "PRAGMA journal_mode"));
            Assert.Equal("1", await ScalarAsync(db, "PRAGMA synchronous")); // NORMAL
            Assert.Equal("30000", await ScalarAsync(db, "PRAGMA busy_timeout"));
            Assert.Equal("0", await ScalarAsync(db, "PRAGMA wal_autocheckpoint")); // checkpoints run in the background
        });
    }

    [Fact]
    public async Task TheBackgroundCheckpointCopiesTheWholeLogIntoTheDatabase()
    {
        if (app.Database.IsPostgres)
        {
            return; // SQLite's write-ahead log.
        }

        await app.WithScopeAsync(services => services.GetRequiredService<ContactService>().SubmitAsync(
            new ContactRequest("Checkpoint", "checkpoint@example.com", null, "Checkpoint", "A message that lands in the log."),
            "api", SpamVerdict.Clean, CancellationToken.None));

        var (logFrames, checkpointed) = await app.Services.GetRequiredService<SqliteCheckpointService>().CheckpointAsync(CancellationToken.None);

        Assert.Equal(logFrames, checkpointed);
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
    [Fact]
    public async Task SynchronousFullAndTheBusyTimeoutAreConfigurable()
    {
        if (app.Database.IsPostgres)
        {
            return;
        }

        await app.WithDbAsync(async db =>
        {
            Assert.Equal("2", await SqliteConnectionSettingsTests.ScalarAsync(db, "PRAGMA synchronous")); // FULL
            Assert.Equal("7000", await SqliteConnectionSettingsTests.ScalarAsync(db, "PRAGMA busy_timeout"));
        });
    }
}
