using Npgsql;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// A throwaway database for one test fixture. SQLite: a file in the fixture's content root.
/// PostgreSQL (<c>PORTFOLIO_TEST_DB=Postgres</c>): a fresh database on the server named by
/// <c>PORTFOLIO_TEST_POSTGRES</c>, dropped afterwards. tests/run.sh starts that server.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestDatabase(string provider, string? connectionString, string? adminConnectionString, string? databaseName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
    }

    /// <summary><c>Sqlite</c> or <c>Postgres</c>, as the app's <c>Database:Provider</c> setting.</summary>
    public string Provider { get; }

    /// <summary>The app's connection string; null for SQLite (the app's default file under the content root).</summary>
    public string? ConnectionString { get; }

    public bool IsPostgres => Provider == "Postgres";

    public static string ProviderFromEnvironment =>
        Environment.GetEnvironmentVariable("PORTFOLIO_TEST_DB") is { Length: > 0 } value ? value : "Sqlite";

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = NotYetCreated();
        if (database.IsPostgres)
        {
            await using var connection = new NpgsqlConnection(database._adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database._databaseName}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return database;
    }

    /// <summary>
    /// PostgreSQL: a name for a database that does not exist yet (the app is to create it), dropped afterwards if
    /// it then exists. SQLite: as <see cref="CreateAsync"/>, whose file never exists before the app starts.
    /// </summary>
    public static TestDatabase NotYetCreated()
    {
        var provider = ProviderFromEnvironment;
        if (!string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return new TestDatabase("Sqlite", null, null, null);
        }

        var admin = Environment.GetEnvironmentVariable("PORTFOLIO_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                "PORTFOLIO_TEST_DB=Postgres needs PORTFOLIO_TEST_POSTGRES, a connection string for a role that may CREATE DATABASE. tests/run.sh sets both.");
        }

        var name = "portfolio_test_" + Guid.NewGuid().ToString("N")[..16];
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase("Postgres", builder.ConnectionString, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is null || _databaseName is null)
        {
            return;
        }

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
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                if (attempt >= 10)
                {
                    Console.Error.WriteLine($"Test database {_databaseName} was left behind: {exception.MessageText}");
                    return;
                }

                await Task.Delay(500);
            }
        }
    }
}
