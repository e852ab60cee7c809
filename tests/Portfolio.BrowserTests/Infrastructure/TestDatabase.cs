using Npgsql;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// The database the app under test runs on. SQLite (the default) lives in the app's throwaway content root
/// and needs nothing here; with <c>PORTFOLIO_TEST_BROWSER_DB=Postgres</c> a fresh database is created on the
/// server <c>PORTFOLIO_TEST_POSTGRES</c> points at (a role that may CREATE DATABASE) and dropped afterwards.
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

    /// <summary><c>Sqlite</c> or <c>Postgres</c>, as the app's <c>Database:Provider</c> spells it.</summary>
    public string Provider { get; }

    /// <summary>The app's <c>ConnectionStrings:Portfolio</c>; null for SQLite (the app's own default file).</summary>
    public string? ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var requested = Environment.GetEnvironmentVariable("PORTFOLIO_TEST_BROWSER_DB");
        if (!string.Equals(requested, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return new TestDatabase("Sqlite", null, null, null);
        }

        var admin = Environment.GetEnvironmentVariable("PORTFOLIO_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                "PORTFOLIO_TEST_BROWSER_DB=Postgres needs PORTFOLIO_TEST_POSTGRES, e.g. " +
                "\"Host=127.0.0.1;Port=5432;Username=portfolio_test;Password=...;Database=postgres\" (tests/run.sh sets it).");
        }

        var name = $"portfolio_browser_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var appConnection = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new TestDatabase("Postgres", appConnection, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is null || _databaseName is null)
        {
            return;
        }

        // Pooled connections of this test process would keep the database busy; FORCE ends the app's too.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
