namespace Portfolio.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (default, a file in <c>umbraco/Data</c>) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations on start (default). Turn off when migrations run as a deploy step.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>SQLite only: <c>Normal</c> (default, WAL's recommended setting) or <c>Full</c> (an fsync per commit).</summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>SQLite only: how long a write waits for another connection's write to finish before it fails.</summary>
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
