using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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
    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Apply pending migrations on start (default), first creating the PostgreSQL database if it does not exist and
    /// the role may create it. Turn off when migrations run as a deploy step.
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// PostgreSQL only: how long the app keeps trying to reach the server at start (a database container that is
    /// still starting) before it gives up and exits. Zero: one attempt.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// PostgreSQL only: how often an instance checks the shared change stamp itself when no change notification came
    /// (a notification lost with a dropped connection is made up for within this time).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ChangeCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>SQLite only: <c>Normal</c> (default, WAL's recommended setting) or <c>Full</c> (an fsync per commit).</summary>
    [EnumDataType(typeof(SqliteSynchronous))]
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>SQLite only: how long a write waits for another connection's write to finish before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

[OptionsValidator]
public sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;
