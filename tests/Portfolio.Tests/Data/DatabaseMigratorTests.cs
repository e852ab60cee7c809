using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Data;

public sealed class DatabaseMigratorTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    [Fact]
    public async Task StartingMigratesTheDatabaseToTheLatestMigration()
    {
        await app.WithDbAsync(async db =>
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        });
    }

    [Fact]
    public async Task ConcurrentStartsMigrateOnceAndAllSucceed()
    {
        // Several instances starting at once: on PostgreSQL the advisory lock serialises them.
        var migrator = app.Services.GetRequiredService<DatabaseMigrator>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => migrator.MigrateAsync(CancellationToken.None)));

        await app.WithDbAsync(async db => Assert.Empty(await db.Database.GetPendingMigrationsAsync()));

        // Pooled connections are not reset on return (DataExtensions.WithPoolDefaults), so a session lock the
        // migrator kept would stay held by an idle connection and stall the next instance's start until Npgsql prunes
        // that connection (idle for 300 s by default, which a busy pool may never be). Only the one-number keys of the
        // start-up lock count (objsubid 1): the background jobs' two-number locks (SharedJobLock) come and go meanwhile.
        await app.WithDbAsync(async db =>
        {
            if (db is PostgresPortfolioDbContext)
            {
                var held = await db.Database.SqlQuery<long>($"""
                    SELECT count(*) AS "Value" FROM pg_locks
                    WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND objsubid = 1
                    """).SingleAsync();
                Assert.Equal(0, held);
            }
        });
    }

    [Fact]
    public async Task TheDatabaseEnforcesUniqueSlugsPerType()
    {
        await app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            db.ContentItems.Add(new Portfolio.Web.Content.ContentItem { Id = Guid.NewGuid(), ContentType = "service", Slug = "dup", Name = "A", CreatedUtc = now, UpdatedUtc = now, UpdatedBy = "t" });
            db.ContentItems.Add(new Portfolio.Web.Content.ContentItem { Id = Guid.NewGuid(), ContentType = "service", Slug = "dup", Name = "B", CreatedUtc = now, UpdatedUtc = now, UpdatedBy = "t" });

            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
    }

    [Fact]
    public async Task TheDatabaseRefusesAPublishedVersionNewerThanTheLatest()
    {
        await app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            db.ContentItems.Add(new Portfolio.Web.Content.ContentItem
            {
                Id = Guid.NewGuid(), ContentType = "service", Slug = "bad-version", Name = "A", CreatedUtc = now, UpdatedUtc = now,
                UpdatedBy = "t", LatestVersionNumber = 1, PublishedVersionNumber = 2,
            });

            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
    }
}
