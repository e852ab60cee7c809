using Npgsql;

namespace Portfolio.TestSupport;

/// <summary>
/// A throwaway database for one app under test. SQLite: nothing here, the app's default file under its own
/// (throwaway) content root. PostgreSQL: a fresh database on the server named by <c>PORTFOLIO_TEST_POSTGRES</c>
/// (a role that may CREATE DATABASE; tests/run.sh starts such a server), dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>Which provider the integration tests run on: <c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public const string ProviderVariable = "PORTFOLIO_TEST_DB";

    private const string ServerVariable = "PORTFOLIO_TEST_POSTGRES";

    private readonly string? _adminConnectionString;

    private TestDatabase(string provider, string? connectionString, string? adminConnectionString, string? databaseName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
        DatabaseName = databaseName;
    }

    /// <summary><c>Sqlite</c> or <c>Postgres</c>, as the app's <c>Database:Provider</c> setting.</summary>
    public string Provider { get; }

    /// <summary>The app's connection string; null for SQLite (the app's default file under the content root).</summary>
    public string? ConnectionString { get; }

    /// <summary>The PostgreSQL database's name; null for SQLite.</summary>
    public string? DatabaseName { get; }

    public bool IsPostgres => Provider == "Postgres";

    /// <summary>The provider <see cref="ProviderVariable"/> asks for.</summary>
    public static string ProviderFromEnvironment => ProviderFrom(ProviderVariable);

    /// <summary><c>Postgres</c> when the environment variable says so (in any case), else <c>Sqlite</c>.</summary>
    public static string ProviderFrom(string variable) =>
        string.Equals(Environment.GetEnvironmentVariable(variable), "Postgres", StringComparison.OrdinalIgnoreCase) ? "Postgres" : "Sqlite";

    /// <summary>The file the app uses for SQLite when no connection string is set (Data/DataExtensions.cs).</summary>
    public static string SqliteFile(string contentRoot) => Path.Combine(contentRoot, "umbraco", "Data", "portfolio.db");

    public static Task<TestDatabase> CreateAsync() => CreateAsync(ProviderFromEnvironment);

    /// <summary>
    /// An empty database of <paramref name="provider"/>, or for PostgreSQL a copy of <paramref name="template"/>
    /// (<c>CREATE DATABASE … TEMPLATE</c>, which needs the template to have no connection); named
    /// <paramref name="name"/>, else a random <c>portfolio_test_…</c>.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(string provider, TestDatabase? template = null, string? name = null)
    {
        var database = NotYetCreated(provider, name);
        if (!database.IsPostgres)
        {
            return database;
        }

        if (template is not null && template.DatabaseName is null)
        {
            throw new ArgumentException("A PostgreSQL database is copied from a PostgreSQL template.", nameof(template));
        }

        var sql = template is null
            ? $"CREATE DATABASE \"{database.DatabaseName}\""
            : $"CREATE DATABASE \"{database.DatabaseName}\" TEMPLATE \"{template.DatabaseName}\"";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database._adminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
                return database;
            }
            catch (PostgresException exception) when (template is not null && exception.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // "source database is being accessed by other users": a connection that was just closed can take a
                // moment to leave the server (autovacuum may also look in briefly).
                await Task.Delay(250);
            }
        }
    }

    public static TestDatabase NotYetCreated() => NotYetCreated(ProviderFromEnvironment);

    /// <summary>
    /// PostgreSQL: a name for a database that does not exist yet (the app is to create it), dropped afterwards if
    /// it then exists (<paramref name="name"/>, else a random one). SQLite: as <see cref="CreateAsync(string, TestDatabase?, string?)"/>, whose file never exists before the app starts.
    /// </summary>
    public static TestDatabase NotYetCreated(string provider, string? name = null)
    {
        if (!string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return new TestDatabase("Sqlite", null, null, null);
        }

        var admin = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"A test run on PostgreSQL needs {ServerVariable}, a connection string for a role that may CREATE DATABASE, e.g. " +
                "\"Host=127.0.0.1;Port=5432;Username=portfolio_test;Password=...;Database=postgres\". tests/run.sh sets it.");
        }

        name ??= "portfolio_test_" + Guid.NewGuid().ToString("N")[..16];
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase("Postgres", builder.ConnectionString, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is null || DatabaseName is null)
        {
            return;
        }

        // Pooled connections of this test process would keep the database busy; FORCE ends the app's too.
        NpgsqlConnection.ClearAllPools();
        // A backend of another role (e.g. autovacuum) may still be attached for a moment, and a role that is
        // not a superuser may not terminate it: retry briefly. The server itself is throwaway (tests/run.sh
        // removes it), so a database that will not drop is left behind rather than failing the tests.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_adminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                if (attempt >= 10)
                {
                    await Console.Error.WriteLineAsync($"Test database {DatabaseName} was left behind: {exception.MessageText}");
                    return;
                }

                await Task.Delay(500);
            }
        }
    }
}
