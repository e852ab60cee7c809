using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Data;

/// <summary>
/// How <c>dotnet ef</c> makes each provider's context without starting the app (whose start-up migrates, imports
/// sample content and starts background services). The connection string is the first argument after <c>--</c>, else
/// <c>ConnectionStrings__Portfolio</c>, else the development default (for SQLite the file <c>dotnet run</c> uses); adding or
/// listing migrations needs no server.
/// </summary>
public sealed class SqliteDesignTimeContextFactory : IDesignTimeDbContextFactory<SqlitePortfolioDbContext>
{
    public SqlitePortfolioDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortfolioDbContext>()
            .UseSqlite(DesignTimeConnection.From(args, () => DesignTimeConnection.SqliteDefault(Directory.GetCurrentDirectory())))
            .Options);
}

/// <inheritdoc cref="SqliteDesignTimeContextFactory"/>
public sealed class PostgresDesignTimeContextFactory : IDesignTimeDbContextFactory<PostgresPortfolioDbContext>
{
    public PostgresPortfolioDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPortfolioDbContext>()
            .UseNpgsql(DesignTimeConnection.From(args, () => "Host=localhost;Database=portfolio"))
            .Options);
}

internal static class DesignTimeConnection
{
    /// <summary>
    /// The database <c>dotnet run</c> uses: <c>umbraco/Data/portfolio.db</c> under the repository's root (the folder with
    /// Portfolio.sln at or above <paramref name="startDirectory"/>), the app's content root there. <c>dotnet ef</c> runs
    /// in the project's folder, where a relative path named a file that does not exist: every migration was listed as
    /// pending. Its folder is made when missing (it is not in the repository), so that <c>database update</c> can create
    /// the file on a fresh clone.
    /// </summary>
    public static string SqliteDefault(string startDirectory)
    {
        var root = new DirectoryInfo(startDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Portfolio.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException(
                $"No Portfolio.sln at or above {startDirectory}: run dotnet ef from the repository, or give a connection string after --.");
        }

        var paths = new PortfolioPaths(root.FullName);
        Directory.CreateDirectory(paths.Data);
        return new SqliteConnectionStringBuilder { DataSource = paths.SqliteDatabase }.ToString();
    }

    /// <summary>The first argument after <c>--</c>, else <c>ConnectionStrings__Portfolio</c>, else <paramref name="fallback"/>.</summary>
    public static string From(string[] args, Func<string> fallback) =>
        new[] { args.FirstOrDefault(), Environment.GetEnvironmentVariable("ConnectionStrings__Portfolio") }
            .FirstOrDefault(candidate => !string.IsNullOrWhiteSpace(candidate)) ?? fallback();
}
