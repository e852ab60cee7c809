using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// The database as the app leaves it after its first start with sample content (migrations, backoffice roles,
/// the imported sample site), made once per test process and then copied for every fixture that would otherwise
/// build the same thing itself: migrating and importing is most of an app start. SQLite: the file is copied into
/// the fixture's content root; PostgreSQL: <c>CREATE DATABASE … TEMPLATE</c>.
/// <para>
/// The template is made by the app's own start-up code: a <see cref="PortfolioApp"/> with the default settings and
/// the same <see cref="ManualClock"/> time, started and stopped. It holds no backoffice user (no initial
/// administrator is configured for it), so a fixture that configures one gets it created on its own start, as
/// before. Nothing else of that start is shared: data-protection keys, logs, mail and media stay in each app's own
/// content root (the import writes nothing there; <see cref="BuildAsync"/> checks that).
/// </para>
/// </summary>
public static class SampleSiteTemplate
{
    private static readonly Lazy<Task<Template>> Built = new(BuildAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// This machine and test process, in the template's folder and database names: the test host is often ended
    /// without running its exit handlers, so each run removes what finished runs on this machine left behind.
    /// </summary>
    private static readonly string HostTag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Environment.MachineName)))[..8];

    private static string Owner => $"{HostTag}_{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A new database holding a copy of the template, for an app whose content root is <paramref name="contentRoot"/>.</summary>
    public static async Task<TestDatabase> CopyAsync(string contentRoot)
    {
        var template = await Built.Value;
        if (template.Database.IsPostgres)
        {
            return await TestDatabase.CreateAsync(template.Database.Provider, template.Database);
        }

        var file = TestDatabase.SqliteFile(contentRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.Copy(template.SqliteFile, file);
        return await TestDatabase.CreateAsync(template.Database.Provider);
    }

    private sealed record Template(TestDatabase Database, string ContentRoot)
    {
        public string SqliteFile => TestDatabase.SqliteFile(ContentRoot);
    }

    /// <summary>Imports the sample site itself, so it can serve as the template.</summary>
    private sealed class TemplateApp() : PortfolioApp($"portfolio-template-{Owner}-")
    {
        protected override bool StartsFromTemplate => false;

        protected override Task<TestDatabase> CreateDatabaseAsync() =>
            TestDatabase.CreateAsync(TestDatabase.ProviderFromEnvironment, name: $"portfolio_template_{Owner}_{Guid.NewGuid().ToString("N")[..8]}");
    }

    private static async Task<Template> BuildAsync()
    {
        await RemoveLeftoversAsync();
        var app = new TemplateApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        var template = new Template(app.Database, app.ContentRoot);
        // The factory's own dispose: stops the app but keeps its database and content root (PortfolioApp's
        // IAsyncLifetime.DisposeAsync would drop them).
        await app.DisposeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(template);

        if (template.Database.IsPostgres)
        {
            // CREATE DATABASE … TEMPLATE refuses a template that has connections: close the stopped app's. Only our own:
            // an autovacuum worker in the template is the server's (ending it needs a superuser) and leaves by itself,
            // which the copy waits for.
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(template.Database.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND usename = current_user AND pid <> pg_backend_pid()", connection);
            terminate.Parameters.AddWithValue("name", template.Database.DatabaseName!);
            await terminate.ExecuteNonQueryAsync();
        }
        else
        {
            // Everything into the main file, so that the file alone is the database: the last connection to close
            // checkpoints the WAL and removes it.
            SqliteConnection.ClearAllPools();
            await using (var connection = new SqliteConnection($"Data Source={template.SqliteFile};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                await checkpoint.ExecuteNonQueryAsync();
            }

            var wal = new FileInfo(template.SqliteFile + "-wal");
            if (wal.Exists && wal.Length > 0)
            {
                throw new InvalidOperationException($"The template database {template.SqliteFile} is still in use: its WAL was not checkpointed.");
            }
        }

        // Only the database is copied: anything the first start wrote into media would be missing from the copies.
        var media = Path.Combine(template.ContentRoot, "umbraco", "media");
        if (Directory.Exists(media) && Directory.EnumerateFileSystemEntries(media).Any())
        {
            throw new InvalidOperationException($"The first start wrote media ({media}); copy them with the template database.");
        }

        return template;
    }

    /// <summary>Templates of test processes on this machine that have ended (their folders, their databases).</summary>
    private static async Task RemoveLeftoversAsync()
    {
        var prefix = $"portfolio-template-{HostTag}_";
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            if (!IsRunning(Path.GetFileName(folder)[prefix.Length..].Split('-')[0]))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // Someone else's to clean, then.
                }
            }
        }

        if (TestDatabase.ProviderFromEnvironment != "Postgres" || Environment.GetEnvironmentVariable("PORTFOLIO_TEST_POSTGRES") is not { Length: > 0 } admin)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        var databasePrefix = $"portfolio_template_{HostTag}_";
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, @prefix)", connection))
        {
            list.Parameters.AddWithValue("prefix", databasePrefix);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names.Where(name => !IsRunning(name[databasePrefix.Length..].Split('_')[0])))
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            try
            {
                await drop.ExecuteNonQueryAsync();
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                // Not ours to drop after all, or busy: left for a later run.
            }
        }
    }

    private static bool IsRunning(string processId)
    {
        if (!int.TryParse(processId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return true; // Not a name this class made: leave it alone.
        }

        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Remove(Template template)
    {
        try
        {
            template.Database.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            Directory.Delete(template.ContentRoot, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or AggregateException or UnauthorizedAccessException)
        {
            // At exit, best effort: a temp folder (and, on tests/run.sh's throwaway server, a database) left behind.
        }
    }
}
