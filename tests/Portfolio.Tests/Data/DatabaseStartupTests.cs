using System.Net;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;
using Xunit.Abstractions;

namespace Portfolio.Tests.Data;

/// <summary>
/// The database's part of starting, with the app as a real process: a PostgreSQL server that does not answer is
/// retried for <c>Database:StartupTimeout</c> and then named in one line; a database that does not exist yet is
/// created; instances that start together on it both come up; a data folder the app cannot write stops it clearly.
/// </summary>
[RunsFirst]
public sealed class DatabaseStartupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Finding11_AnUnreachablePostgresIsRetriedUntilTheStartupTimeoutThenTheAppExitsWithOneLineNamingTheSettings()
    {
        var closedPort = FreePort.Next();
        var (exitCode, lines) = await RunUntilExitAsync(
            "--Database:Provider=Postgres",
            $"--ConnectionStrings:Portfolio=Host=127.0.0.1;Port={closedPort};Database=portfolio;Username=portfolio;Password=unused",
            // Long enough for a second attempt even when a busy machine makes the first one slow.
            "--Database:StartupTimeout=00:00:05");

        Assert.Equal(StartupProblem.ExitCode, exitCode);
        Assert.Contains(lines, line => line.Contains("WRN", StringComparison.Ordinal) && line.Contains("not reachable yet", StringComparison.Ordinal));
        var failure = Assert.Single(lines, line => line.Contains("FTL", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{closedPort}", failure, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Portfolio", failure, StringComparison.Ordinal);
        Assert.Contains("Database:StartupTimeout", failure, StringComparison.Ordinal);
        AssertNoStackTrace(lines);
    }

    [Fact]
    public async Task ADataFolderThatCannotBeCreatedStopsTheStartWithOneLineNamingIt()
    {
        // A file where the data folder belongs: unlike a chmod, this stops root too (tests may run as root).
        var contentRoot = Directory.CreateTempSubdirectory("portfolio-startup-").FullName;
        Directory.CreateDirectory(Path.Combine(contentRoot, "umbraco"));
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "umbraco", "Data"), "not a folder");
        try
        {
            var (exitCode, lines) = await PortfolioProcess.RunUntilExitAsync(contentRoot, [], ExitTimeout);

            Assert.Equal(StartupProblem.ExitCode, exitCode);
            var line = Assert.Single(lines, line => !string.IsNullOrWhiteSpace(line));
            Assert.Contains(Path.Combine(contentRoot, "umbraco", "Data"), line, StringComparison.Ordinal);
            Assert.Contains("--contentRoot", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    [Fact]
    public async Task Finding11_AReadOnlyDataFolderStopsTheStartWithOneLineNamingItInsteadOfAStackTrace()
    {
        // A folder that exists but refuses new files even to root (tests may run as root, where a chmod stops nothing):
        // /proc stands in for a read-only volume.
        var contentRoot = Directory.CreateTempSubdirectory("portfolio-startup-").FullName;
        Directory.CreateDirectory(Path.Combine(contentRoot, "umbraco"));
        Directory.CreateSymbolicLink(Path.Combine(contentRoot, "umbraco", "Data"), "/proc");
        try
        {
            var (exitCode, lines) = await PortfolioProcess.RunUntilExitAsync(contentRoot, [], ExitTimeout);

            Assert.Equal(StartupProblem.ExitCode, exitCode);
            var line = Assert.Single(lines, line => !string.IsNullOrWhiteSpace(line));
            Assert.Contains(Path.Combine(contentRoot, "umbraco", "Data"), line, StringComparison.Ordinal);
            Assert.Contains("write", line, StringComparison.Ordinal);
            AssertNoStackTrace(lines);
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    [Fact]
    public async Task ASqliteFileInAFolderThatDoesNotExistStopsTheStartWithOneLineNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), "portfolio-missing-" + Guid.NewGuid().ToString("N"), "portfolio.db");

        var (exitCode, lines) = await RunUntilExitAsync($"--ConnectionStrings:Portfolio=Data Source={missing}");

        Assert.Equal(StartupProblem.ExitCode, exitCode);
        var line = Assert.Single(lines, line => !string.IsNullOrWhiteSpace(line));
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Portfolio", line, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task WithoutMigrationsOnStartAPostgresDatabaseThatDoesNotExistStopsTheStartWithOneLine()
    {
        await using var database = TestDatabase.NotYetCreated();
        Skip.IfNot(database.IsPostgres, "A PostgreSQL server's database: PostgreSQL only.");

        var (exitCode, lines) = await RunUntilExitAsync([.. PortfolioProcess.DatabaseSettings(database), "--Database:MigrateOnStartup=false"]);

        Assert.Equal(StartupProblem.ExitCode, exitCode);
        var line = Assert.Single(lines, line => !string.IsNullOrWhiteSpace(line));
        Assert.Contains("does not exist", line, StringComparison.Ordinal);
        Assert.Contains("Database:MigrateOnStartup", line, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Finding11_TwoInstancesStartingTogetherOnAPostgresDatabaseThatDoesNotExistYetBothComeUpAndSeedItOnce()
    {
        await using var database = TestDatabase.NotYetCreated();
        Skip.IfNot(database.IsPostgres, "A PostgreSQL server's database: PostgreSQL only.");

        const string adminEmail = "admin@example.com";
        string[] settings =
        [
            .. PortfolioProcess.DatabaseSettings(database),
            // Both race to create the first administrator as well.
            $"--Backoffice:InitialAdmin:Email={adminEmail}",
            "--Backoffice:InitialAdmin:Password=staple battery horse correct",
        ];
        var contentRoots = new[] { "a", "b" }.Select(name => Directory.CreateTempSubdirectory($"portfolio-twin-{name}-").FullName).ToArray();
        var starts = contentRoots.Select(root => PortfolioProcess.StartAsync(root, settings)).ToArray();
        try
        {
            var apps = await Task.WhenAll(starts);
            foreach (var app in apps)
            {
                using var client = new HttpClient { BaseAddress = app.BaseAddress };
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
                output.WriteLine($"--- {app.BaseAddress}\n{app.Output}");
            }

            Assert.Single(apps, app => app.Output.Contains("Created the database", StringComparison.Ordinal));
            Assert.Single(apps, app => app.Output.Contains("Imported ", StringComparison.Ordinal));
            await using var db = new PostgresPortfolioDbContext(
                new DbContextOptionsBuilder<PostgresPortfolioDbContext>().UseNpgsql(database.ConnectionString).Options);
            Assert.Equal(BackofficeRoles.All.Order(), (await db.Roles.Select(role => role.Name!).ToListAsync()).Order());
            Assert.Equal(adminEmail, Assert.Single(await db.Users.Select(user => user.Email).ToListAsync()));
            var sampleFiles = SampleContentImporter.LoadFiles(Path.Combine(Path.GetDirectoryName(PortfolioProcess.AppDll)!, "umbraco", "content"));
            Assert.Equal(sampleFiles.Count, await db.ContentItems.CountAsync());
        }
        finally
        {
            foreach (var start in starts)
            {
                if (start.IsCompletedSuccessfully)
                {
                    await (await start).DisposeAsync();
                }
            }

            foreach (var root in contentRoots)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static Task<(int ExitCode, IReadOnlyList<string> Lines)> RunUntilExitAsync(params string[] settings) =>
        PortfolioProcess.RunUntilExitAsync(settings, ExitTimeout);

    private static void AssertNoStackTrace(IReadOnlyList<string> lines) =>
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
}
