using Npgsql;

namespace Portfolio.Web.Backup;

/// <summary>The PostgreSQL database a restore goes into.</summary>
public static class PostgresTarget
{
    /// <summary>
    /// Creates the configured database when it does not exist (as the site's first start would, when the role may) and
    /// says whether it holds any table of its own already.
    /// </summary>
    public static async Task<bool> PrepareAsync(string connectionString, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var name = settings.Database ?? throw new BackupProblemException("ConnectionStrings:Portfolio names no Database to restore into.");
        await using (var maintenance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Database = "postgres" }.ConnectionString))
        {
            await maintenance.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", maintenance);
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                try
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", maintenance);
                    await create.ExecuteNonQueryAsync(cancellationToken);
                    return false;
                }
                catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    throw new BackupProblemException(
                        $"The database {name} does not exist and the role {settings.Username} may not create it: create it (empty), then restore.", exception);
                }
            }
        }

        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var tables = new NpgsqlCommand(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'",
            connection);
        return (long)(await tables.ExecuteScalarAsync(cancellationToken))! > 0;
    }
}
