using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Contact;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Data;

/// <summary>
/// Every write of the app's SQLite contexts queues behind <see cref="SqliteWriteGate"/> without the caller asking:
/// a transaction holds it from its start to its end, a write outside one while it runs; reads never wait.
/// Without the gate the first test fails: the write blocks its thread inside SQLite (busy_timeout, 30 s) instead of
/// waiting as a task, and is then refused as "database is locked".
/// </summary>
public sealed class SqliteWriteGateTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(500);

    [SkippableFact]
    public async Task AWriteOutsideATransactionWaitsForAnotherContextsTransaction()
    {
        Skip.If(app.Database.IsPostgres, "SQLite's write queue: PostgreSQL has row locks and several writers.");
        await using var holding = app.Services.CreateAsyncScope();
        await using var waiting = app.Services.CreateAsyncScope();
        var holder = holding.ServiceProvider.GetRequiredService<PortfolioDbContext>();
        var writer = waiting.ServiceProvider.GetRequiredService<PortfolioDbContext>();

        var transaction = await holder.Database.BeginTransactionAsync();
        var write = writer.ContactMessages.Where(message => message.Status == ContactMessageStatus.Spam)
            .ExecuteUpdateAsync(update => update.SetProperty(message => message.ReadUtc, DateTime.UtcNow));

        Assert.NotSame(write, await Task.WhenAny(write, Task.Delay(Patience)));
        await transaction.CommitAsync();
        await write.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [SkippableFact]
    public async Task AReadDoesNotWaitForAWriter()
    {
        Skip.If(app.Database.IsPostgres, "SQLite's write queue.");
        await using var holding = app.Services.CreateAsyncScope();
        await using var reading = app.Services.CreateAsyncScope();
        var holder = holding.ServiceProvider.GetRequiredService<PortfolioDbContext>();

        await using var transaction = await holder.Database.BeginTransactionAsync();
        var count = reading.ServiceProvider.GetRequiredService<PortfolioDbContext>().ContactMessages.CountAsync();

        Assert.Same(count, await Task.WhenAny(count, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    [SkippableFact]
    public async Task ATransactionDisposedWithoutACommitGivesTheGateBackAtOnceNotWhenItsContextIsDone()
    {
        Skip.If(app.Database.IsPostgres, "SQLite's write queue.");
        await using var abandoning = app.Services.CreateAsyncScope();
        await using var next = app.Services.CreateAsyncScope();
        var db = abandoning.ServiceProvider.GetRequiredService<PortfolioDbContext>();
        var transaction = await db.Database.BeginTransactionAsync();
        await transaction.DisposeAsync(); // an early return's path: neither commit nor rollback is reported

        var write = next.ServiceProvider.GetRequiredService<PortfolioDbContext>().ContactMessages
            .Where(message => message.Status == ContactMessageStatus.Spam)
            .ExecuteDeleteAsync();
        Assert.Same(write, await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    [SkippableFact]
    public async Task ATransactionDisposedWithoutACommitGivesTheGateBackWhenItsContextIsDone()
    {
        Skip.If(app.Database.IsPostgres, "SQLite's write queue.");
        await using (var abandoning = app.Services.CreateAsyncScope())
        {
            var db = abandoning.ServiceProvider.GetRequiredService<PortfolioDbContext>();
            var transaction = await db.Database.BeginTransactionAsync();
            await transaction.DisposeAsync(); // an exception's path: neither commit nor rollback is reported
        }

        await using var next = app.Services.CreateAsyncScope();
        var write = next.ServiceProvider.GetRequiredService<PortfolioDbContext>().ContactMessages
            .Where(message => message.Status == ContactMessageStatus.Spam)
            .ExecuteDeleteAsync();
        Assert.Same(write, await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    [Theory]
    [InlineData("INSERT INTO \"X\" VALUES (1)", true)]
    [InlineData("  update \"X\" SET a = 1", true)]
    [InlineData("DELETE FROM \"X\"", true)]
    [InlineData("PRAGMA wal_checkpoint(RESTART)", true)]
    [InlineData("-- tagged\nDELETE FROM \"X\"", true)]
    [InlineData("/* a note */ UPDATE \"X\" SET a = 1", true)]
    [InlineData("CREATE TABLE IF NOT EXISTS \"__EFMigrationsLock\" (x)", true)]
    [InlineData("SELECT 1", false)]
    [InlineData("-- tagged\nSELECT 1", false)]
    [InlineData("\nSELECT \"Id\" FROM \"X\" WHERE \"Note\" = 'INSERT'", false)]
    public void AWriteIsKnownByItsFirstKeyword(string sql, bool writes) =>
        Assert.Equal(writes, SqliteWriteGateInterceptor.Writes(sql));
}
