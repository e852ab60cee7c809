using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portfolio.Web.Data;

/// <summary>
/// How <c>dotnet ef</c> makes each provider's context without starting the app (whose start-up migrates, imports
/// sample content and starts background services). The connection string is the first argument after <c>--</c>, else
/// <c>ConnectionStrings__Portfolio</c>, else the development default; adding or listing migrations needs no server.
/// </summary>
public sealed class SqliteDesignTimeContextFactory : IDesignTimeDbContextFactory<SqlitePortfolioDbContext>
{
    public SqlitePortfolioDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortfolioDbContext>()
            .UseSqlite(DesignTimeConnection.From(args, "Data Source=umbraco/Data/portfolio.db"))
            .Options);
}

/// <inheritdoc cref="SqliteDesignTimeContextFactory"/>
public sealed class PostgresDesignTimeContextFactory : IDesignTimeDbContextFactory<PostgresPortfolioDbContext>
{
    public PostgresPortfolioDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPortfolioDbContext>()
            .UseNpgsql(DesignTimeConnection.From(args, "Host=localhost;Database=portfolio"))
            .Options);
}

internal static class DesignTimeConnection
{
    public static string From(string[] args, string fallback) =>
        new[] { args.FirstOrDefault(), Environment.GetEnvironmentVariable("ConnectionStrings__Portfolio"), fallback }
            .First(candidate => !string.IsNullOrWhiteSpace(candidate))!;
}
