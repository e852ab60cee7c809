using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Data;

public sealed class MigrationsTests
{
    // Each provider's migrations must hold the whole model: add a migration with
    // `dotnet run --project src/Portfolio.MigrationTool -- add <Name>` when this fails.
    [Fact]
    public void SqliteMigrationsHoldEveryModelChange()
    {
        using var db = new SqlitePortfolioDbContext(new DbContextOptionsBuilder<SqlitePortfolioDbContext>()
            .UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no SQLite migration holds.");
    }

    [Fact]
    public void PostgresMigrationsHoldEveryModelChange()
    {
        using var db = new PostgresPortfolioDbContext(new DbContextOptionsBuilder<PostgresPortfolioDbContext>()
            .UseNpgsql("Host=localhost;Database=unused").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no PostgreSQL migration holds.");
    }

    [Fact]
    public void BothProvidersHaveTheSameMigrations()
    {
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(id => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..]);
        using var sqlite = new SqlitePortfolioDbContext(new DbContextOptionsBuilder<SqlitePortfolioDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgresPortfolioDbContext(new DbContextOptionsBuilder<PostgresPortfolioDbContext>().UseNpgsql("Host=localhost").Options);
        Assert.Equal(Names(sqlite), Names(postgres));
    }
}
