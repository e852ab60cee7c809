using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Data;

[RunsFirst]
public sealed partial class MigrationsTests
{
    // Each provider's migrations must hold the whole model: add a migration for both (README, "Data") when this fails.
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

    /// <summary>
    /// The README's migration commands work from the repository: the local dotnet-ef (.config/dotnet-tools.json) finds
    /// both providers' contexts through their design-time factories and lists every migration without a database.
    /// Whether a model change lacks its migration is the two tests above (the same contexts, in process): asking
    /// dotnet ef as well cost two more of its runs, 4 CPU-seconds each (an MSBuild evaluation and a model build).
    /// Provider-independent, so it runs once, in the SQLite run.
    /// </summary>
    [SkippableFact]
    public async Task DotnetEfFromTheRepositoryListsEveryMigrationOfBothProviders()
    {
        Skip.If(TestDatabase.ProviderFromEnvironment != "Sqlite", "Provider-independent: runs in the SQLite run only.");
        await DotnetAsync("tool", "restore");
        using var sqlite = new SqliteDesignTimeContextFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeContextFactory().CreateDbContext([]);

        foreach (var (context, migrations) in new[] { ("SqlitePortfolioDbContext", sqlite.Database.GetMigrations()), ("PostgresPortfolioDbContext", postgres.Database.GetMigrations()) })
        {
            var listed = await DotnetAsync("ef", "migrations", "list", "--project", "src/Portfolio.Web", "--context", context,
                "--configuration", BuildConfiguration, "--no-build", "--no-connect");
            Assert.All(migrations, id => Assert.Contains(id, listed, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// The app loads EF Core's compiled models (<c>Data/CompiledModels</c>) instead of building its model at every
    /// start, and EF Core loads a stale one without a word. So the committed files must be what <c>dotnet ef dbcontext
    /// optimize</c> makes of today's model, apart from the random model id each run writes and the line endings of the
    /// platform it runs on; when this fails, run <c>tests/compiled-models.sh</c>. Provider-independent, so it runs
    /// once, in the SQLite run.
    /// </summary>
    [SkippableFact]
    public async Task CompiledModelsAreGeneratedFromTheCurrentModel()
    {
        Skip.If(TestDatabase.ProviderFromEnvironment != "Sqlite", "Provider-independent: runs in the SQLite run only.");
        await DotnetAsync("tool", "restore");
        foreach (var provider in new[] { "Sqlite", "Postgres" })
        {
            var generated = Directory.CreateTempSubdirectory("compiled-model-").FullName;
            try
            {
                await DotnetAsync("ef", "dbcontext", "optimize", "--project", "src/Portfolio.Web", "--context", $"{provider}PortfolioDbContext",
                    "--output-dir", generated, "--namespace", $"Portfolio.Web.Data.CompiledModels.{provider}",
                    "--configuration", BuildConfiguration, "--no-build");
                var committed = Path.Combine(Repository.Root, "src", "Portfolio.Web", "Data", "CompiledModels", provider);
                var expected = GeneratedFiles(generated);
                var actual = GeneratedFiles(committed);
                Assert.True(expected.Keys.SequenceEqual(actual.Keys),
                    $"{committed} holds other files than dotnet ef generates ({string.Join(", ", expected.Keys.Except(actual.Keys).Concat(actual.Keys.Except(expected.Keys)))}): run tests/compiled-models.sh.");
                Assert.All(expected, file => Assert.True(file.Value == actual[file.Key],
                    $"{provider}/{file.Key} is not what dotnet ef generates from today's model: run tests/compiled-models.sh."));
            }
            finally
            {
                Directory.Delete(generated, recursive: true);
            }
        }

        static SortedDictionary<string, string> GeneratedFiles(string folder) => new(
            Directory.GetFiles(folder, "*.cs").ToDictionary(file => Path.GetFileName(file), file => ModelId().Replace(File.ReadAllText(file).ReplaceLineEndings("\n"), "modelId: new Guid()")),
            StringComparer.Ordinal);
    }

    /// <summary>The app uses the compiled models: each provider's context gets its generated model, not one it
    /// builds.</summary>
    [Fact]
    public void EachProvidersContextLoadsItsCompiledModel()
    {
        using var sqlite = new SqlitePortfolioDbContext(new DbContextOptionsBuilder<SqlitePortfolioDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgresPortfolioDbContext(new DbContextOptionsBuilder<PostgresPortfolioDbContext>().UseNpgsql("Host=localhost").Options);
        Assert.IsType<Portfolio.Web.Data.CompiledModels.Sqlite.SqlitePortfolioDbContextModel>(sqlite.Model);
        Assert.IsType<Portfolio.Web.Data.CompiledModels.Postgres.PostgresPortfolioDbContextModel>(postgres.Model);
    }

    /// <summary>
    /// Without a connection string, dotnet ef (which runs in the project's folder) reads the SQLite database that
    /// <c>dotnet run</c> made at the repository's root, so <c>migrations list</c> tells applied from pending. Outside a
    /// checkout it says what to do rather than open a file nobody meant.
    /// </summary>
    [Fact]
    public void DotnetEfDefaultsToTheDatabaseDotnetRunUses()
    {
        var expected = Path.Combine(Repository.Root, "umbraco", "Data", "portfolio.db");
        Assert.Equal(expected, DataSource(DesignTimeConnection.SqliteDefault(Path.Combine(Repository.Root, "src", "Portfolio.Web"))));
        Assert.Equal(expected, DataSource(DesignTimeConnection.SqliteDefault(Repository.Root)));
        if (Environment.GetEnvironmentVariable("ConnectionStrings__Portfolio") is null)
        {
            // The factory itself, from this test host's folder inside the checkout.
            using var db = new SqliteDesignTimeContextFactory().CreateDbContext([]);
            Assert.Equal(expected, DataSource(db.Database.GetConnectionString()!));
        }

        var outside = Directory.CreateTempSubdirectory("no-checkout-").FullName;
        try
        {
            var refused = Assert.Throws<InvalidOperationException>(() => DesignTimeConnection.SqliteDefault(outside));
            Assert.Contains("connection string after --", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside);
        }

        static string DataSource(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;
    }

    /// <summary>The configuration these tests were built in; the app was built alongside (dotnet ef runs with --no-build).</summary>
    private static string BuildConfiguration =>
        typeof(MigrationsTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static async Task<string> DotnetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await output}\n{await errors}");
        return await output;
    }

    [GeneratedRegex("""modelId: new Guid\("[0-9a-f-]+"\)""")]
    private static partial Regex ModelId();
}
