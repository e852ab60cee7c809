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
    private sealed class TemplateApp : PortfolioApp
    {
        protected override bool StartsFromTemplate => false;
    }

    private static async Task<Template> BuildAsync()
    {
        var app = new TemplateApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        var template = new Template(app.Database, app.ContentRoot);
        // The factory's own dispose: stops the app but keeps its database and content root (PortfolioApp's
        // IAsyncLifetime.DisposeAsync would drop them).
        await app.DisposeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(template);

        if (template.Database.IsPostgres)
        {
            // CREATE DATABASE … TEMPLATE refuses a template that has connections: close the stopped app's.
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(template.Database.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", connection);
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
